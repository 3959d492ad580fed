// Turns infra/main.parameters.json into the .bicepparam file of the values azd would pass, so that
// `bicep build-params` checks them against main.bicep's parameters (names, types, @allowed,
// @minValue/@maxValue, required ones missing). azd's rules, as its Bicep provider applies them:
// ${VAR=default} becomes the default (VAR unset on a fresh environment), ${VAR} becomes '', and a
// string that parses as an int or bool is passed as one when the template's parameter is that type.
//   node tools/infra-lint/parameters.cjs infra/main.parameters.json <main.json built by bicep> <out.bicepparam>
'use strict';
const fs = require('fs');
const path = require('path');

const [paramsFile, builtTemplate, out] = process.argv.slice(2);
const fail = msg => { console.log(`lint: ${paramsFile}: ${msg}`); process.exitCode = 1; };

let params;
try { params = JSON.parse(fs.readFileSync(paramsFile, 'utf8')).parameters; }
catch (e) { fail(`not JSON: ${e.message}`); process.exit(1); }
if (!params || typeof params !== 'object') { fail('no "parameters" object'); process.exit(1); }
const declared = JSON.parse(fs.readFileSync(builtTemplate, 'utf8')).parameters || {};

// azd always sets these two from the environment it provisions (azd env new / azd up asks).
const fromAzd = { AZURE_ENV_NAME: 'lint', AZURE_LOCATION: 'lint' };
const substitute = s => s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:=([^}]*))?\}/g, (_, name, def) => fromAzd[name] ?? def ?? '');
const quote = s => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${')}'`;

const lines = [`using ${quote(path.relative(path.dirname(path.resolve(out)), path.resolve(path.dirname(paramsFile), 'main.bicep')).split(path.sep).join('/'))}`, ''];
for (const [name, entry] of Object.entries(params)) {
  if (!entry || !('value' in entry)) { fail(`parameters.${name} has no "value" (a Key Vault reference cannot be checked here)`); continue; }
  let value = entry.value;
  const type = (declared[name]?.type || '').toLowerCase();
  if (typeof value === 'string') {
    value = substitute(value);
    if (type === 'int' && /^[-+]?\d+$/.test(value)) value = Number(value);
    else if (type === 'bool' && /^(true|false|1|0|t|f)$/i.test(value)) value = /^(true|1|t)$/i.test(value);
  }
  const literal = typeof value === 'string' ? quote(value)
    : typeof value === 'number' || typeof value === 'boolean' ? String(value)
    : `json(${quote(JSON.stringify(value))})`;
  lines.push(`param ${name} = ${literal} // ${paramsFile}: ${JSON.stringify(entry.value)}`);
}
fs.writeFileSync(out, lines.join('\n') + '\n');
