// The checks no compiler makes, on the template bicep built (modules inlined as nested deployments):
//  1. the app-settings contract: every setting src/Journeys.Functions reads, derived from its code
//     and host.json, is set by the Function App's appsettings, and nothing is set that nothing reads;
//  2. identity only: no listKeys()/list*() call, no key or secret connection string, no secure output;
//  3. local auth off on every resource type that has a key/local-auth switch.
//   node tools/infra-lint/contract.cjs <main.json built by bicep>
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const appDir = path.join(root, 'src', 'Journeys.Functions');
const rel = f => path.relative(root, f);
const bicepFile = 'infra/modules/functionapp.bicep';
let failed = false;
const fail = msg => { console.log(`lint: ${msg}`); failed = true; };

// ---- what the Bicep sets ---------------------------------------------------------------------------
const template = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const resources = [];
(function walk(t) {
  const rs = Array.isArray(t.resources) ? t.resources : Object.values(t.resources || {});
  for (const r of rs) {
    resources.push(r);
    if (r.type === 'Microsoft.Resources/deployments' && r.properties?.template) walk(r.properties.template);
  }
})(template);

const sites = resources.filter(r => r.type === 'Microsoft.Web/sites' && /functionapp/.test(r.kind || ''));
if (sites.length !== 1) fail(`expected one Function App in the template, found ${sites.length}`);
const set = new Map(); // name -> value (an ARM expression or a literal)
for (const r of resources) {
  if (r.type === 'Microsoft.Web/sites/config' && /appsettings/.test(r.name)) for (const [k, v] of Object.entries(r.properties || {})) set.set(k, v);
  if (r.type === 'Microsoft.Web/sites') for (const s of r.properties?.siteConfig?.appSettings || []) set.set(s.name, s.value);
}

// ---- what the app reads ----------------------------------------------------------------------------
const sources = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) { if (e.name !== 'bin' && e.name !== 'obj') walk(path.join(dir, e.name)); }
    else if (e.name.endsWith('.cs')) sources.push(path.join(dir, e.name));
  }
})(appDir);

const needs = new Map(); // setting -> [why...]; an array of names = one of them is enough
const need = (names, why) => {
  const key = [].concat(names).join(' | ');
  if (!needs.has(key)) needs.set(key, { names: [].concat(names), why: [] });
  needs.get(key).why.push(why);
};
const localOnly = new Set(); // read by the app but must not be set in Azure (connection strings: Azurite)
const fromConfigKey = k => k.replace(/:/g, '__');
// An identity-based connection (https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity):
// the service's address, and with a user-assigned identity, credential + clientId.
const connection = (name, service, why) => {
  const address = {
    EventHub: [['fullyQualifiedNamespace']], ServiceBus: [['fullyQualifiedNamespace']],
    Blob: [['accountName', 'blobServiceUri']], Queue: [['accountName', 'queueServiceUri']], Table: [['accountName', 'tableServiceUri']],
    // the host's own storage, Durable Functions' Azure Storage backend: blobs, queues and tables
    Storage: [['accountName', 'blobServiceUri'], ['accountName', 'queueServiceUri'], ['accountName', 'tableServiceUri']],
  }[service];
  if (!address) { fail(`${why}: connection "${name}" of an unknown binding kind (${service}); teach tools/infra-lint/contract.cjs its identity settings`); return; }
  for (const names of address) need(names.map(n => `${name}__${n}`), why);
  need(`${name}__credential`, why);
  need(`${name}__clientId`, why);
};

let usesAppInsights = false, usesDefaultCredential = false;
for (const file of sources) {
  const code = fs.readFileSync(file, 'utf8').replace(/^[ \t]*\/\/.*$/gm, '');
  const at = i => `${rel(file)}:${code.slice(0, i).split('\n').length}`;
  let m;
  // configuration["Section:key"], GetValue<T>("..."), GetConnectionString("..."), environment variables
  const reads = [
    [/\b\w*[Cc]onfig\w*\s*\[\s*"([^"]+)"\s*\]/g, k => fromConfigKey(k)],
    [/\bGetValue<[^>]+>\(\s*"([^"]+)"/g, k => fromConfigKey(k)],
    [/\bGetConnectionString\(\s*"([^"]+)"/g, k => `ConnectionStrings__${k}`],
    [/\bGetEnvironmentVariable\(\s*"([^"]+)"/g, k => k],
  ];
  for (const [re, name] of reads) {
    for (re.lastIndex = 0; (m = re.exec(code));) {
      const setting = name(m[1]);
      if (/connectionstring/i.test(setting)) localOnly.add(setting);
      else need(setting, `${at(m.index)} reads it`);
    }
  }
  // binding expressions: [EventHubTrigger("%EventHubName%", Connection = "EventHubConnection", ...)]
  const attr = /\[(\w+?)(Trigger|Input|Output)?\(((?:[^()"\]]|"[^"]*"|\([^()]*\))*)\)\]/g;
  for (attr.lastIndex = 0; (m = attr.exec(code));) {
    const [, kind, , args] = m;
    for (const p of args.matchAll(/%([A-Za-z0-9_:.]+)%/g)) need(fromConfigKey(p[1]), `${at(m.index)} binds %${p[1]}%`);
    const c = /\bConnection\s*=\s*"([^"]+)"/.exec(args);
    if (c) connection(c[1], kind.replace(/s$/, ''), `${at(m.index)} ${kind}${m[2] || ''} Connection = "${c[1]}"`);
  }
  if (/\bAddApplicationInsightsTelemetryWorkerService\b|\bConfigureFunctionsApplicationInsights\b/.test(code)) usesAppInsights = at(code.search(/ApplicationInsights/));
  if (/\bnew DefaultAzureCredential\b|\bnew ManagedIdentityCredential\b/.test(code)) usesDefaultCredential = at(code.search(/new (DefaultAzure|ManagedIdentity)Credential/));
}

// the Functions host: its own storage always (leases, Event Hubs checkpoints, timers)
connection('AzureWebJobsStorage', 'Storage', 'the Functions host (AzureWebJobsStorage)');
// host.json: %Setting% anywhere, and Durable Functions' storage connection (AzureWebJobsStorage by default)
const hostFile = path.join(root, 'host.json');
const host = JSON.parse(fs.readFileSync(hostFile, 'utf8'));
for (const p of JSON.stringify(host).matchAll(/%([A-Za-z0-9_:.]+)%/g)) need(fromConfigKey(p[1]), `host.json binds %${p[1]}%`);
const durable = host.extensions?.durableTask;
if (durable) {
  const sp = durable.storageProvider || {};
  const type = (sp.type || 'AzureStorage').toLowerCase();
  const conn = sp.connectionName || sp.connectionStringName || 'AzureWebJobsStorage';
  if (type === 'azurestorage') connection(conn, 'Storage', `host.json durableTask (Azure Storage backend, connection "${conn}")`);
  else fail(`host.json: durableTask storage provider "${sp.type}" is not known to tools/infra-lint/contract.cjs; teach it which settings it reads`);
}
// read by packages rather than by our code, keyed on the calls that bring them in
if (usesAppInsights) {
  need('APPLICATIONINSIGHTS_CONNECTION_STRING', `${usesAppInsights} sends telemetry to Application Insights`);
  // the component has local auth off (checked below): telemetry needs an Entra token, hence the identity
  need('APPLICATIONINSIGHTS_AUTHENTICATION_STRING', `${usesAppInsights} sends telemetry to an Application Insights with local auth off`);
}
if (usesDefaultCredential) need('AZURE_CLIENT_ID', `${usesDefaultCredential} authenticates as the user-assigned identity`);

const accounted = new Set();
for (const { names, why } of needs.values()) {
  const hit = names.filter(n => set.has(n));
  hit.forEach(n => accounted.add(n));
  if (!hit.length) fail(`${bicepFile}: app setting ${names.join(' or ')} is not set (${why[0]}${why.length > 1 ? `, and ${why.length - 1} more` : ''})`);
}
for (const s of localOnly) if (set.has(s)) fail(`${bicepFile}: app setting ${s} is set, but connection strings are for local runs only (Azurite); Azure uses the identity`);
const platform = new Set(['FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_RUN_FROM_PACKAGE']);
for (const s of set.keys()) if (!accounted.has(s) && !platform.has(s)) fail(`${bicepFile}: app setting ${s} is set but nothing in src/Journeys.Functions or host.json reads it`);
for (const [k, v] of set) {
  if (/^managedidentity$/i.test(String(v)) || !k.endsWith('__credential')) continue;
  fail(`${bicepFile}: ${k} must be 'managedidentity'`);
}

// ---- identity only ---------------------------------------------------------------------------------
const text = JSON.stringify(template);
for (const m of text.matchAll(/\b(list\w*)\(/g)) fail(`infra: the compiled template calls ${m[1]}(): that reads keys or secrets; this template is identity-only`);
for (const m of text.matchAll(/AccountKey=|SharedAccessKey(?:Name)?=|primaryKey|secondaryKey|primaryConnectionString/gi)) fail(`infra: the compiled template holds "${m[0]}": this template is identity-only`);
(function outputs(t, where) {
  for (const [n, o] of Object.entries(t.outputs || {})) if (/^secure/i.test(o.type)) fail(`infra: output ${where}${n} is secure: nothing here should produce a secret`);
  const rs = Array.isArray(t.resources) ? t.resources : Object.values(t.resources || {});
  for (const r of rs) if (r.type === 'Microsoft.Resources/deployments' && r.properties?.template) outputs(r.properties.template, `${r.name}.`);
})(template, '');

// ---- local auth off --------------------------------------------------------------------------------
const get = (o, p) => p.split('.').reduce((a, k) => (a == null ? a : a[k]), o);
const localAuth = {
  'Microsoft.Storage/storageAccounts': ['properties.allowSharedKeyAccess', false],
  'Microsoft.EventHub/namespaces': ['properties.disableLocalAuth', true],
  'Microsoft.ServiceBus/namespaces': ['properties.disableLocalAuth', true],
  'Microsoft.Insights/components': ['properties.DisableLocalAuth', true],
  'Microsoft.OperationalInsights/workspaces': ['properties.features.disableLocalAuth', true],
  'Microsoft.EventGrid/topics': ['properties.disableLocalAuth', true],
  'Microsoft.EventGrid/systemTopics': null, // no keys of its own
  'Microsoft.DocumentDB/databaseAccounts': ['properties.disableLocalAuth', true],
  'Microsoft.Web/sites/basicPublishingCredentialsPolicies': ['properties.allow', false],
};
for (const r of resources) {
  const rule = localAuth[r.type];
  if (!rule) continue;
  const [prop, want] = rule;
  if (get(r, prop) !== want) fail(`infra: ${r.type} ${r.name} must have ${prop.replace(/^properties\./, '')}: ${want} (local auth off)`);
}
const policies = resources.filter(r => r.type === 'Microsoft.Web/sites/basicPublishingCredentialsPolicies').length;
if (policies < 2 * sites.length) fail(`${bicepFile}: every site needs its scm and ftp basicPublishingCredentialsPolicies with allow: false`);

if (failed) process.exit(1);
console.log(`contract: ${needs.size} settings read by the app, all set in ${bicepFile}; identity only, local auth off`);
