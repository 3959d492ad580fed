#!/usr/bin/env bash
# The Azure runtime end to end on one machine, on the real stack: Azurite, the Event Hubs emulator
# (Docker), the Functions host (`func start`), events sent with EventHubProducerClient as an app would, and
# the trace read back from the admin API. Needs Docker, Node/npm, the .NET 10 SDK and network access for
# the emulator image and Functions Core Tools: it runs in the GitHub workflow, not on the build farm.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  docker rm -f journeys-eventhubs >/dev/null 2>&1 || true
  rm -f local.settings.json
}
trap cleanup EXIT

npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error
tools/azurite/node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --location "$work/azurite" &
pids+=($!)
for _ in $(seq 1 60); do (echo > /dev/tcp/127.0.0.1/10002) 2>/dev/null && break; sleep 1; done

# the emulator keeps its checkpoints and metadata in the Azurite above (host network: 127.0.0.1)
docker run -d --name journeys-eventhubs --network host \
  -v "$PWD/tools/e2e/eventhubs-emulator.json:/Eventhubs_Emulator/ConfigFiles/Config.json" \
  -e BLOB_SERVER=127.0.0.1 -e METADATA_SERVER=127.0.0.1 -e ACCEPT_EULA=Y \
  mcr.microsoft.com/azure-messaging/eventhubs-emulator:latest
for _ in $(seq 1 90); do (echo > /dev/tcp/127.0.0.1/5672) 2>/dev/null && break; sleep 1; done
sleep 5 # the AMQP port opens before the entities are ready

command -v func >/dev/null || npm i -g azure-functions-core-tools@4 --unsafe-perm true
cp local.settings.sample.json local.settings.json
(cd src/Journeys.Functions && func start --port 7071 >"$work/func.log" 2>&1) &
pids+=($!)
for _ in $(seq 1 180); do curl -fs 127.0.0.1:7071/api/healthz >/dev/null 2>&1 && break; sleep 1; done
curl -fs 127.0.0.1:7071/api/healthz >/dev/null || { tail -n 80 "$work/func.log"; exit 1; }

for f in samples/segments/*.segment.json; do
  id=$(basename "$f" .segment.json)
  curl -fs -X PUT "127.0.0.1:7071/api/v1/segments/$id" --data-binary "@$f" >/dev/null
done
for f in samples/journeys/*.journey.json; do
  id=$(basename "$f" .journey.json)
  curl -fs -X PUT "127.0.0.1:7071/api/v1/journeys/$id" --data-binary "@$f" >/dev/null
done

# the README's tour: Nia signs up and orders; she becomes a new customer and is e-mailed at once
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
user="e2e-$(date +%s)"
cat >"$work/events.jsonl" <<JSONL
{"type":"identify","messageId":"$user-1","userId":"$user","traits":{"firstName":"Nia","email":"nia@example.com"},"timestamp":"$now"}
{"type":"track","messageId":"$user-2","userId":"$user","event":"SignedUp","properties":{"source":"web"},"timestamp":"$now"}
{"type":"track","messageId":"$user-3","userId":"$user","event":"Purchase","properties":{"total":42.5},"timestamp":"$now"}
JSONL
connection=$(node -e 'console.log(require("./local.settings.json").Values.EventHubConnection)')
dotnet run tools/e2e/send-events.cs -- "$connection" journey-events "$work/events.jsonl"

for _ in $(seq 1 120); do
  trace=$(curl -fs "127.0.0.1:7071/api/v1/trace?user=$user" || true)
  if grep -q '"kind":"entered"' <<<"$trace" && grep -q '"kind":"sent"' <<<"$trace"; then
    echo "e2e: $user entered new-customer-welcome and was sent the welcome e-mail:"
    echo "$trace"
    exit 0
  fi
  sleep 1
done
echo "e2e: no entered + sent records for $user after 120 s; trace: ${trace:-none}" >&2
tail -n 80 "$work/func.log" >&2
exit 1
