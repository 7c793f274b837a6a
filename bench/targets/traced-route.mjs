// A Fastify route shaped like the token endpoint's path through Gatehouse's tracing (libs/observability
// of the build in GATEHOUSE_ROOT): the server span's hooks, a handler awaiting 60 promises as a token
// request does, the audit traceparent taken; the OpenTelemetry SDK started as the apps start it when
// TRACED=1, exporting to OTEL_EXPORTER_OTLP_ENDPOINT. Requests go through Fastify's inject (no sockets),
// as fast as it answers for SECONDS after a warm-up; prints `RESULT {json}`: requests and CPU µs per request.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.env.GATEHOUSE_ROOT;
const seconds = Number(process.env.SECONDS ?? 10);
const module = (path) => import(pathToFileURL(join(root, path)).href);

if (process.env.TRACED === '1') {
  const { startOpenTelemetry } = await module('dist/libs/observability/src/tracing/open-telemetry.js');
  startOpenTelemetry('bench-traced-route');
}
const { default: Fastify } = await module('node_modules/fastify/fastify.js');
const { addServerSpanHooks } = await module('dist/libs/observability/src/tracing/server-spans.js');
const audit = await module('dist/libs/audit/src/index.js');
// Builds before the traceparent travelled beside the event only had withTraceContext.
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
/** 50 requests in flight, as the load scenarios' 50 connections, until `ms` have passed. */
async function load(ms) {
  const until = performance.now() + ms;
  let requests = 0;
  while (performance.now() < until) {
    const wave = [];
    for (let k = 0; k < 50; k++) wave.push(app.inject(request));
    for (const response of await Promise.all(wave)) if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
    requests += 50;
  }
  return requests;
}

await load(Math.min(2_000, (seconds * 1000) / 2));
const before = process.cpuUsage();
const requests = await load(seconds * 1000);
const cpu = process.cpuUsage(before);
process.stdout.write(`RESULT ${JSON.stringify({ requests, cpuUsPerRequest: (cpu.user + cpu.system) / requests })}\n`);
process.exit(0);
