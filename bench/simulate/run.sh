#!/usr/bin/env bash
# The simulator at the size of a customer base (docs/performance.md, "Simulation at scale"):
#   bench/simulate/run.sh [USERS] [RUNS] [-- extra simulate options, e.g. --partitions 64 --parallel 2]
# Builds Release, writes the benchmark's month of events for USERS users (bench EventLogGenerator, seed 1:
# the same bytes every time) unless it exists, then replays it RUNS times with --stats under /usr/bin/time,
# printing the load before each run and the trace's SHA-256 after it (equal hashes: byte-identical traces).
set -euo pipefail
cd "$(dirname "$0")/../.."
users=${1:-1000000}
runs=${2:-2}
shift $(( $# >= 2 ? 2 : $# ))
[[ "${1:-}" == "--" ]] && shift
out=${BENCH_OUT:-/tmp/journeys-bench}
mkdir -p "$out"
log="$out/events-$users.jsonl"

dotnet build src/Journeys.Local -c Release -v quiet -nologo > /dev/null
dotnet build bench/Journeys.Benchmarks -c Release -v quiet -nologo > /dev/null
if [[ ! -s "$log" ]]; then
  dotnet bench/Journeys.Benchmarks/bin/Release/net10.0/Journeys.Benchmarks.dll generate --users "$users" --days 30 --seed 1 --out "$log"
fi
for run in $(seq 1 "$runs"); do
  echo "run $run: $(uptime)"
  /usr/bin/time -f '%e s wall, %U s user, %S s sys, %M KB max RSS' \
    dotnet src/Journeys.Local/bin/Release/net10.0/journeys.dll simulate samples/ "$log" --stats "$@" \
    > "$out/trace-$users.jsonl" 2> "$out/stderr-$users.txt"
  grep -E '^stats:|max RSS' "$out/stderr-$users.txt"
  echo "trace sha256 $(sha256sum < "$out/trace-$users.jsonl" | cut -c1-16), $(wc -l < "$out/trace-$users.jsonl") records"
done
