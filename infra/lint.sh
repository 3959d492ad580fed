#!/usr/bin/env bash
# Lints the azd template with the real tools; .ci/run and the GitHub workflow run it as it is.
#
#   bash infra/lint.sh            (BICEP=/path/to/bicep to use another Bicep CLI)
#
# 1. azure.yaml against azd's published JSON schema (pinned in infra/schemas/azure-dev/).
# 2. bicep build infra/main.bicep and bicep lint on every .bicep file, warnings as errors: the
#    official Bicep CLI, restored from NuGet by tools/bicep/Bicep.csproj (pinned in
#    Directory.Packages.props); infra/bicepconfig.json raises the linter rules to errors.
# 3. infra/main.parameters.json as azd would pass it, through bicep build-params.
# 4. What no compiler checks (tools/infra-lint/contract.cjs): every app setting
#    src/Journeys.Functions reads is set by infra/modules/functionapp.bicep, no keys or secrets,
#    local auth off.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

fail=0
problem() { printf 'lint: %s\n' "$*"; fail=1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- tools ------------------------------------------------------------------------------------
if [ -z "${BICEP:-}" ]; then
  # restore (a no-op once the package is in the NuGet cache) and ask the project where the binary is
  if ! out=$(dotnet msbuild tools/bicep/Bicep.csproj -restore -t:BicepPath -v:m -nologo 2>&1); then
    printf '%s\n' "$out" | tail -n 20
    echo "lint: tools/bicep/Bicep.csproj: could not restore Azure.Bicep.CommandLine.linux-x64"
    exit 1
  fi
  BICEP=$(printf '%s\n' "$out" | tail -n 1 | sed 's/^[[:space:]]*//')
fi
[ -f "$BICEP" ] || { echo "lint: no Bicep CLI at $BICEP"; exit 1; }
# NuGet's extraction does not always keep the executable bit
[ -x "$BICEP" ] || chmod +x "$BICEP"

if [ ! -d tools/infra-lint/node_modules/ajv ] || [ ! -d tools/infra-lint/node_modules/yaml ] || [ ! -d tools/infra-lint/node_modules/ajv-formats ]; then
  npm ci --prefix tools/infra-lint --no-audit --no-fund --loglevel=error </dev/null >&2 \
    || { echo "lint: tools/infra-lint: npm ci failed"; exit 1; }
fi

# Runs the Bicep CLI; prints its diagnostics once each, paths relative to the repo, and fails on
# an error or a warning alike (a warning today is a failed deployment or a stale setting tomorrow).
bicep_step() {
  local what=$1 out rc=0
  shift
  out=$("$BICEP" "$@" 2>&1) || rc=$?
  out=$(printf '%s\n' "$out" | sed "s|$PWD/||g" | awk 'NF && !seen[$0]++')
  [ -n "$out" ] && printf '%s\n' "$out"
  if [ $rc -ne 0 ]; then problem "$what failed (errors above)"
  elif grep -q ' : Warning ' <<<"$out"; then problem "$what: warnings above (warnings are errors here)"
  fi
}

# --- 1. azure.yaml ----------------------------------------------------------------------------
node tools/infra-lint/azure-yaml.cjs azure.yaml || problem "azure.yaml does not match azd's schema (above)"

# --- 2. Bicep -----------------------------------------------------------------------------------
echo "bicep: $("$BICEP" --version 2>&1 | head -n 1)"
bicep_step "bicep build infra/main.bicep" build infra/main.bicep --outfile "$work/main.json"
# every file on its own, so a module main.bicep does not (yet) use is linted too
bicep_step "bicep lint infra/**/*.bicep" lint --pattern 'infra/**/*.bicep'

if [ -f "$work/main.json" ]; then
  # --- 3. the parameters file -------------------------------------------------------------------
  if node tools/infra-lint/parameters.cjs infra/main.parameters.json "$work/main.json" "$work/main.bicepparam"; then
    before=$fail
    bicep_step "bicep build-params (infra/main.parameters.json as azd passes it)" build-params "$work/main.bicepparam" --outfile "$work/main.parameters.built.json"
    if [ "$fail" -ne "$before" ]; then
      echo "lint: infra/main.parameters.json: the file bicep checked, line by line:"
      cat -n "$work/main.bicepparam"
    fi
  else
    problem "infra/main.parameters.json: cannot be read (above)"
  fi

  # --- 4. the app-settings contract, identity only, local auth off ------------------------------
  node tools/infra-lint/contract.cjs "$work/main.json" || problem "infra does not keep its contract with src/Journeys.Functions (above)"
fi

if [ "$fail" -ne 0 ]; then
  echo "lint: FAILED"
  exit 1
fi
echo "lint: ok"
