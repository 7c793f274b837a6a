// A Fastify route shaped like the token endpoint's path through Gatehouse's tracing (libs/observability
// of the build in GATEHOUSE_ROOT): the server span's hooks, a handler awaiting 60 promises as a token
// request does, the audit traceparent taken; the OpenTelemetry SDK started as the apps start it when
// TRACED=1, exporting to OTEL_EXPORTER_OTLP_ENDPOINT. Requests go through Fastify's inject (no sockets),
// IN_FLIGHT at a time, as fast as they are answered. It warms up, prints READY and keeps loading until
// SIGUSR2 (sent to every variant at once), then measures SECONDS and prints `RESULT {json}`.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.env.GATEHOUSE_ROOT;
const seconds = Number(process.env.SECONDS ?? 10);
const inFlight = Number(process.env.IN_FLIGHT ?? 50);
const module = (path) => import(pathToFileURL(join(root, path)).href);

if (process.env.TRACED === '1') {
  const { startOpenTelemetry } = await module('dist/libs/observability/src/tracing/open-telemetry.js');
  startOpenTelemetry('bench-traced-route');
}
const { default: Fastify } = await module('node_modules/fastify/fastify.js');
const { addServerSpanHooks } = await module('dist/libs/observability/src/tracing/server-spans.js');
const audit = await module('dist/libs/audit/src/index.js');
// Builds before stop 39 (BENCH_BASELINE_ROOT) stamped events with withTraceContext instead.
const traceContext = audit.currentTraceContext ?? (() => audit.withTraceContext([{}])[0]?.traceContext);

const app = Fastify();
addServerSpanHooks(app);
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
const step = async (value) => value;
app.post('/t/:tenant/oauth2/token', async () => {
  let sum = 0;
  for (let i = 0; i < 60; i++) sum += await step(i);
  return { access_token: 'x'.repeat(300), token_type: 'Bearer', expires_in: 300, sum, trace: traceContext() !== undefined };
});
await app.ready();

const request = {
  method: 'POST',
  url: '/t/acme/oauth2/token',
  payload: 'grant_type=client_credentials&scope=read',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
};
/** Waves of IN_FLIGHT requests until `done()`; returns how many were answered. */
async function load(done) {
  let requests = 0;
  while (!done()) {
    const wave = [];
    for (let k = 0; k < inFlight; k++) wave.push(app.inject(request));
    for (const response of await Promise.all(wave)) if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
    requests += inFlight;
  }
  return requests;
}

let go = false;
process.once('SIGUSR2', () => (go = true));
const warmedAt = performance.now() + 2_000;
await load(() => performance.now() >= warmedAt);
process.stdout.write('READY\n');
await load(() => go);
const before = process.cpuUsage();
const until = performance.now() + seconds * 1000;
const requests = await load(() => performance.now() >= until);
const cpu = process.cpuUsage(before);
process.stdout.write(`RESULT ${JSON.stringify({ requests, cpuUsPerRequest: (cpu.user + cpu.system) / requests })}\n`);
process.exit(0);
