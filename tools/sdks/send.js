// Sends calls through a real SDK, as an app would:  node send.js segment|rudderstack < spec.json
// spec: {"url", "writeKey", "flushAt", "flushInterval", "flush": bool, "calls": [{"type": "track", ...message}]}
// "flush": false leaves sending to the SDK's own timer (flushInterval). Prints
// {"delivered": n, "failed": [{"index", "error"}]} once every call's callback has fired.
'use strict';
const spec = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const sdks = {
  segment() {
    const { Analytics } = require('@segment/analytics-node');
    const client = new Analytics({ writeKey: spec.writeKey, host: spec.url, flushAt: spec.flushAt, flushInterval: spec.flushInterval, maxRetries: 3 });
    client.on('error', () => {}); // failures reach the callbacks too
    return { client, flush: () => client.flush(), close: () => client.closeAndFlush() };
  },
  rudderstack() {
    const Analytics = require('@rudderstack/rudder-sdk-node');
    const client = new Analytics(spec.writeKey, { dataPlaneUrl: spec.url, flushAt: spec.flushAt, flushInterval: spec.flushInterval, retryCount: 3, logLevel: 'error',
      errorHandler: () => {} }); // failures reach the callbacks; without it a failed flush is an unhandled rejection
    return { client, flush: () => client.flush(), close: () => client.flush() };
  },
};
const sdk = sdks[process.argv[2]]();

async function main() {
  const failed = [];
  const sent = spec.calls.map(({ type, ...message }, index) => new Promise((resolve) =>
    sdk.client[type](message, (error) => {
      if (error) failed.push({ index, error: String(error.message ?? error) });
      resolve();
    })));
  let done = false;
  const all = Promise.all(sent).then(() => { done = true; });
  // a flush sends at most flushAt calls: flush until every callback has fired (a failed
  // flush rejects as well as failing its calls' callbacks, which report it)
  while (spec.flush && !done) {
    await sdk.flush().catch(() => {});
    await Promise.race([all, new Promise((r) => setTimeout(r, 50))]);
  }
  await all;
  await sdk.close().catch(() => {});
  process.stdout.write(JSON.stringify({ delivered: spec.calls.length - failed.length, failed }) + '\n');
  process.exit(0);
}
main().catch((e) => { console.error(e); process.exit(1); });
