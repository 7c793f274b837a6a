// What Gatehouse's tracing adds to a request, apart from everything else a token request does: the same
// synthetic route (targets/traced-route.mjs) in several processes measured over the same window, so the
// machine's drift touches them alike. Throughput rounds on a shared machine spread more than a tracing
// change moves them; this resolves a few per cent.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectorStub, samplerSettings } from '../lib/gatehouse.mjs';
import { median } from '../lib/load.mjs';
import { onInterrupt, spawnNode, stopProcess, waitForLine } from '../lib/processes.mjs';

export const name = 'tracing-cost';
export const description = "the tracing path's CPU per request in isolation: untraced and traced (and another build), side by side";

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'targets', 'traced-route.mjs');
// What the target imports from a build: a checkout without them cannot take part.
const NEEDED = [
  'dist/libs/observability/src/tracing/open-telemetry.js',
  'dist/libs/observability/src/tracing/server-spans.js',
  'dist/libs/audit/src/index.js',
  'node_modules/fastify/fastify.js',
];

function variants(ctx) {
  const baseline = process.env.BENCH_BASELINE_ROOT;
  const missing = baseline ? NEEDED.filter((path) => !existsSync(join(baseline, path))) : [];
  if (missing.length > 0) throw new Error(`BENCH_BASELINE_ROOT=${baseline} lacks ${missing.join(', ')}`);
  return [
    { label: 'this build, untraced', root: ctx.root, traced: false },
    { label: 'this build, traced', root: ctx.root, traced: true },
    ...(baseline ? [{ label: 'baseline build, traced', root: baseline, traced: true }] : []),
  ];
}

function start(variant, ctx, endpoint) {
  return spawnNode(`traced-route (${variant.label})`, target, {
    GATEHOUSE_ROOT: variant.root,
    SECONDS: String(ctx.seconds),
    IN_FLIGHT: String(ctx.connections),
    TRACED: variant.traced ? '1' : '0',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    // The run's sampler, as the Gatehouse targets get it: the cost of tracing at a sampling ratio.
    ...samplerSettings(),
  });
}

function resultOf(proc, deadlineMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${proc.name}: no result within ${deadlineMs / 1000} s`)), deadlineMs);
    proc.child.once('close', (code) => {
      clearTimeout(timer);
      const line = proc.tail.find((text) => text.startsWith('RESULT '));
      try {
        if (code !== 0 || !line) throw new Error(`exited with ${code}: ${proc.tail.slice(-5).join(' | ')}`);
        resolve(JSON.parse(line.slice('RESULT '.length)));
      } catch (error) {
        reject(new Error(`${proc.name}: ${error.message}`));
      }
    });
  });
}

/** One window: every variant warmed up, then measured from the same moment for ctx.seconds. */
async function window(all, ctx, endpoint, order) {
  const procs = new Map(order.map((i) => [i, start(all[i], ctx, endpoint)]));
  const stopAll = () => Promise.all([...procs.values()].map(stopProcess));
  const unregister = onInterrupt(stopAll);
  try {
    const results = all.map((_, i) => resultOf(procs.get(i), 120_000 + ctx.seconds * 1000));
    // Awaited below; if a sibling fails first, these reject when the processes are stopped.
    for (const result of results) result.catch(() => {});
    await Promise.all([...procs.values()].map((proc) => waitForLine(proc, /^(READY)$/m, 120_000)));
    for (const proc of procs.values()) proc.child.kill('SIGUSR2');
    return await Promise.all(results);
  } finally {
    await stopAll();
    unregister();
  }
}

export async function run(ctx) {
  const endpoint = await collectorStub();
  const all = variants(ctx);
  const perRound = all.map(() => []);
  for (let round = 0; round < ctx.rounds; round++) {
    // Which process starts first rotates from window to window, as in token-cpu.
    const results = await window(
      all,
      ctx,
      endpoint,
      all.map((_, k) => (k + round) % all.length),
    );
    results.forEach((result, i) => perRound[i].push(result));
    ctx.log(`round ${round + 1}/${ctx.rounds} ${all.map((v, i) => `${v.label}: ${results[i].cpuUsPerRequest.toFixed(1)} µs`).join(', ')}`);
  }
  const cpuOf = (i, round) => perRound[i][round].cpuUsPerRequest;
  return {
    title: "the tracing path's CPU per request, each variant in its own process, measured over the same windows",
    columns: [
      'variant',
      'CPU µs per request (median)',
      '× this build, untraced',
      '× this build, traced',
      'rounds (× untraced)',
      'requests per window',
    ],
    rows: all.map((variant, i) => {
      const ratiosTo = (j) => perRound[i].map((_, round) => cpuOf(i, round) / cpuOf(j, round));
      return [
        variant.label,
        median(perRound[i].map((r) => r.cpuUsPerRequest)).toFixed(1),
        median(ratiosTo(0)).toFixed(3),
        median(ratiosTo(1)).toFixed(3),
        ratiosTo(0)
          .map((ratio) => ratio.toFixed(2))
          .join(', '),
        Math.round(median(perRound[i].map((r) => r.requests))),
      ];
    }),
    notes: [
      `Each variant is its own Node process serving one Fastify route through Fastify inject, ${ctx.connections} requests in flight ` +
        "(`BENCH_CONNECTIONS`): the server span's hooks, a handler awaiting 60 promises (about as many as a token request makes), " +
        'the audit traceparent taken; traced, the OpenTelemetry SDK is started as the apps start it and exports over OTLP/HTTP to a ' +
        'local stub. Every variant warms up, then all are measured from the same moment for the same time (which starts first ' +
        "rotates), so the machine's drift touches them alike; × is the median of per-window ratios. It isolates what tracing costs " +
        'per request and resolves a few per cent between builds (`BENCH_BASELINE_ROOT`); what that does to token throughput is ' +
        'for `client-credentials` with `BENCH_TRACING=compare`. No database or Redis is involved.',
    ],
  };
}
