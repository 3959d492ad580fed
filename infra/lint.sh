#!/usr/bin/env bash
# Lints the azd template: azure.yaml, infra/main.parameters.json and the Bicep files.
#
#   infra/lint.sh
#
# 1. With a real Bicep compiler on PATH (`bicep`, or `az bicep` from the Azure CLI) it compiles
#    infra/main.bicep, which type-checks every resource against its API version and runs the
#    Bicep linter. This is the check that matters; run it before `azd up` where you can.
# 2. Without one (this project's build machines have none), it parses every .bicep file with the
#    tree-sitter Bicep grammar from npm: syntax only.
# 3. Always: azure.yaml parses as YAML, the parameters file as JSON, every app setting of the
#    contract with src/Journeys.Functions is set, and nothing reads a key or builds a secret.
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
note() { printf '%s\n' "$*"; }
problem() { printf 'lint: %s\n' "$*"; fail=1; }

# --- YAML and JSON ------------------------------------------------------------------------
if python3 -c 'import yaml' 2>/dev/null; then
  python3 -c 'import sys, yaml; d = yaml.safe_load(open("azure.yaml")); s = d["services"]["function"]; assert s["host"] == "function" and s["language"] == "dotnet", s' \
    || problem "azure.yaml: does not parse or lacks services.function (host function, language dotnet)"
else
  node -e 'const t=require("fs").readFileSync("azure.yaml","utf8"); if(!/^services:\s*\n\s+function:/m.test(t)) process.exit(1)' \
    || problem "azure.yaml: no services.function (PyYAML missing: only a shallow check was made)"
fi
python3 -m json.tool infra/main.parameters.json > /dev/null || problem "infra/main.parameters.json: not JSON"

# Every parameter in the parameters file must exist in main.bicep.
for p in $(python3 -c 'import json; print(" ".join(json.load(open("infra/main.parameters.json"))["parameters"]))'); do
  grep -qE "^param $p " infra/main.bicep || problem "main.parameters.json sets '$p', which main.bicep does not declare"
done

# --- module wiring (what the compiler would catch first) -------------------------------------
# Every param main.bicep passes to a module exists there, every required one is passed, and
# every <module>.outputs.X it reads is declared.
python3 - <<'PY' || problem "module wiring errors above"
import re, sys
main = open("infra/main.bicep").read()
bad = 0
for sym, path, body in re.findall(r"module (\w+) '([^']+)' = \{(.*?)\n\}", main, re.S):
    passed = set(re.findall(r"^\s{4}(\w+):", body[body.index("params: {"):], re.M))
    mod = open("infra/" + path).read()
    declared = {n: "=" in rest for n, rest in re.findall(r"^param (\w+)(.*)$", mod, re.M)}
    outputs = set(re.findall(r"^output (\w+)", mod, re.M))
    for n in sorted(passed - set(declared)):
        print(f"infra/main.bicep: module {sym} gets '{n}', which {path} does not declare"); bad += 1
    for n in sorted(k for k, has_default in declared.items() if not has_default and k not in passed):
        print(f"infra/main.bicep: module {sym} lacks required param '{n}'"); bad += 1
    for n in sorted(set(re.findall(sym + r"\.outputs\.(\w+)", main)) - outputs):
        print(f"infra/main.bicep: {sym}.outputs.{n} is not an output of {path}"); bad += 1
sys.exit(1 if bad else 0)
PY

# --- the app settings contract --------------------------------------------------------------
for s in AzureWebJobsStorage__accountName AzureWebJobsStorage__credential AzureWebJobsStorage__clientId \
         EventHubConnection__fullyQualifiedNamespace EventHubConnection__credential EventHubConnection__clientId \
         EventHubName EventHubConsumerGroup JourneysStorage__tableServiceUri JourneysStorage__clientId \
         Acs__endpoint Acs__emailSender Acs__smsFrom AZURE_CLIENT_ID \
         APPLICATIONINSIGHTS_CONNECTION_STRING APPLICATIONINSIGHTS_AUTHENTICATION_STRING; do
  grep -qE "^\s+$s:" infra/modules/functionapp.bicep || problem "app setting $s is not set in infra/modules/functionapp.bicep"
done

# --- identity only ----------------------------------------------------------------------------
# (comment lines are skipped: they may say what is not done)
if grep -rnE "listKeys|listConnectionStrings|AccountKey=|SharedAccessKey|primaryKey|primaryConnectionString" infra --include='*.bicep' \
    | grep -vE '^[^:]+:[0-9]+:\s*//'; then
  problem "a key or a secret connection string is read above: this template is identity-only"
fi
grep -q "allowSharedKeyAccess: false" infra/modules/storage.bicep || problem "storage must keep allowSharedKeyAccess: false"
grep -q "disableLocalAuth: true" infra/modules/eventhubs.bicep || problem "Event Hubs must keep disableLocalAuth: true"
grep -q "DisableLocalAuth: true" infra/modules/monitoring.bicep || problem "Application Insights must keep DisableLocalAuth: true"

# --- Bicep ------------------------------------------------------------------------------------
out="${TMPDIR:-/tmp}/journeys-bicep-build"
mkdir -p "$out"
if command -v bicep > /dev/null; then
  note "bicep build (bicep $(bicep --version 2>&1 | head -1))"
  bicep build infra/main.bicep --outdir "$out" || problem "bicep build failed"
elif command -v az > /dev/null && az bicep version > /dev/null 2>&1; then
  note "az bicep build"
  az bicep build --file infra/main.bicep --outdir "$out" || problem "az bicep build failed"
else
  note "No Bicep compiler here: syntax check only (tree-sitter-bicep). Run this script where 'bicep' or 'az bicep' exists for the real check."
  tools="${JOURNEYS_LINT_TOOLS:-${TMPDIR:-/tmp}/journeys-lint-tools}"
  if [ ! -d "$tools/node_modules/tree-sitter-bicep" ]; then
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error \
      tree-sitter@0.22.4 tree-sitter-bicep@1.1.0 > /dev/null || problem "could not install tree-sitter-bicep from npm"
  fi
  NODE_PATH="$tools/node_modules" node infra/lint-syntax.cjs infra/main.bicep infra/modules/*.bicep \
    || problem "Bicep syntax errors above"
fi

if [ "$fail" -ne 0 ]; then
  note "lint: FAILED"
  exit 1
fi
note "lint: ok"
