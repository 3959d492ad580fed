#!/usr/bin/env bash
# Enrollments completed per second through the dev host (real Durable worker + Azure Storage backend on Azurite),
# each with one 5 s timer: USERS users each send an identify and a Ping, posted in batches of BATCH users by
# PARALLEL concurrent requests; an enrollment is counted when its message is in the outbox file (its last step).
# Needs a Release build of Functions.sln and `npm ci --prefix tools/azurite`. It starts an Azurite of its own, in
# memory, on AZURITE_PORT..+2 (11000 by default): an Azurite that persists to disk re-writes its whole table
# database every few seconds, which on a long-used one dominates. AZURITE_PORT=10000 uses the running one instead.
# Extra arguments go to the dev host (e.g. --partitions 8 --concurrency 400).
set -euo pipefail
USERS=${USERS:-1000} BATCH=${BATCH:-50} PARALLEL=${PARALLEL:-4} PORT=${PORT:-7391}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
dll="$root/src/Journeys.Functions.DevHost/bin/Release/net10.0/Journeys.Functions.DevHost.dll"
id="b$(date +%s)"; work=$(mktemp -d); mkdir -p "$work/defs"; cp "$here/ping.journey.json" "$work/defs/"
AZURITE_PORT=${AZURITE_PORT:-11000}
azurite=""
if [ "$AZURITE_PORT" != 10000 ]; then
  "$root/tools/azurite/node_modules/.bin/azurite" --silent --inMemoryPersistence --skipApiVersionCheck --loose \
    --blobPort "$AZURITE_PORT" --queuePort $((AZURITE_PORT + 1)) --tablePort $((AZURITE_PORT + 2)) > "$work/azurite.log" 2>&1 &
  azurite=$!
  for _ in $(seq 60); do curl -s -o /dev/null "127.0.0.1:$((AZURITE_PORT + 2))" && break; sleep 0.5; done
fi
# Azurite's well-known development account (public, documented with the emulator)
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$AZURITE_PORT/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((AZURITE_PORT + 1))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$((AZURITE_PORT + 2))/devstoreaccount1;"
Logging__LogLevel__Journeys=Warning dotnet "$dll" --urls "http://127.0.0.1:$PORT" --storage "$storage" --definitions "$work/defs" \
  --outbox "$work/outbox.jsonl" --task-hub "$id" --table-prefix "$id" --parent-pid $$ "$@" > "$work/host.log" 2>&1 &
host=$!
cleanup() {
  kill -9 "$host" 2>/dev/null || true
  if [ -n "$azurite" ]; then kill "$azurite" 2>/dev/null || true; wait "$azurite" 2>/dev/null || true; fi
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 120); do curl -sf "127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
kill -0 $host 2>/dev/null || { echo "dev host did not start:"; tail -20 "$work/host.log"; exit 1; }
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for ((b = 0; b < USERS / BATCH; b++)); do
  for ((i = b * BATCH; i < (b + 1) * BATCH; i++)); do
    printf '{"type":"identify","messageId":"%s-i","userId":"%s","traits":{"firstName":"U","email":"%s@example.com"},"timestamp":"%s"}\n' "u$i" "u$i" "u$i" "$now"
    printf '{"type":"track","messageId":"%s-p","userId":"%s","event":"Ping","timestamp":"%s"}\n' "u$i" "u$i" "$now"
  done > "$work/batch-$b.ndjson"
done
count() { [ -f "$work/outbox.jsonl" ] && wc -l < "$work/outbox.jsonl" || echo 0; }
start=$(date +%s.%N)
ls "$work"/batch-*.ndjson | xargs -P "$PARALLEL" -I{} curl -sf -X POST "127.0.0.1:$PORT/v1/events" \
  -H 'Content-Type: application/x-ndjson' --data-binary @{} -o /dev/null
ingested=$(date +%s.%N)
first=""
while [ "$(count)" -lt "$USERS" ]; do
  [ -z "$first" ] && [ "$(count)" -gt 0 ] && first=$(date +%s.%N)
  kill -0 $host 2>/dev/null || { echo "dev host died:"; tail -20 "$work/host.log"; exit 1; }
  sleep 0.2
done
done_at=$(date +%s.%N)
dupes=$(grep -o '"idempotencyKey":"[^"]*"' "$work/outbox.jsonl" | sort | uniq -d | wc -l)
awk -v u="$USERS" -v s="$start" -v i="$ingested" -v f="${first:-$start}" -v d="$done_at" -v dup="$dupes" 'BEGIN {
  printf "users %d: ingested in %.1f s (%.0f events/s); all %d enrollments completed %.1f s after the first post\n", u, i-s, 2*u/(i-s), u, d-s
  printf "completed/s from first to last completion: %.1f (overall incl. the 5 s timer: %.1f); duplicate keys: %d\n", u/(d-f), u/(d-s), dup }'
