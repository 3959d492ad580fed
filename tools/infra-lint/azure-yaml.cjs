// Validates azure.yaml against azd's published JSON schema, pinned in infra/schemas/azure-dev/
// (see its README for the source commit). The schema $refs the azd extensions' schemas by URL;
// those are pinned beside it and served from disk, so nothing is fetched.
//   node tools/infra-lint/azure-yaml.cjs [azure.yaml]
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv2019 = require('ajv/dist/2019').default;
const draft7 = require('ajv/dist/refs/json-schema-draft-07.json');
const addFormats = require('ajv-formats');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..', '..');
const pinned = path.join(root, 'infra', 'schemas', 'azure-dev');
const base = 'https://raw.githubusercontent.com/Azure/azure-dev/main/';
const file = process.argv[2] || 'azure.yaml';

// strict: false because azd's schemas carry editor hints ajv does not know; allErrors so one run
// names every problem.
const ajv = new Ajv2019({ strict: false, allErrors: true });
ajv.addMetaSchema(draft7); // the extensions' schemas are draft-07
addFormats(ajv);
const walk = dir => fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
  e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : []);
for (const f of walk(pinned)) {
  const url = base + path.relative(pinned, f).split(path.sep).join('/');
  const schema = JSON.parse(fs.readFileSync(f, 'utf8'));
  ajv.addSchema(schema, schema.$id ? undefined : url);
}

const text = fs.readFileSync(file, 'utf8');
const doc = YAML.parseDocument(text, { prettyErrors: true });
if (doc.errors.length) {
  for (const e of doc.errors) console.log(`lint: ${file}: not YAML: ${e.message.split('\n')[0]}`);
  process.exit(1);
}
const validate = ajv.getSchema(base + 'schemas/v1.0/azure.yaml.json');
if (validate(doc.toJS())) process.exit(0);
// an if/then failure is always reported with the concrete error inside it: print only that
for (const e of validate.errors.filter(e => e.keyword !== 'if')) {
  const where = e.instancePath || '/';
  const extra = e.params && e.params.additionalProperty ? ` ('${e.params.additionalProperty}')`
    : e.params && e.params.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : '';
  console.log(`lint: ${file}: ${where} ${e.message}${extra} (azd schema ${e.schemaPath})`);
}
process.exit(1);
