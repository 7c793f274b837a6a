// What Gatehouse's tracing adds to a request, apart from everything else a token request does: the same
// synthetic route (targets/traced-route.mjs) in several processes loaded in the same windows, so the
// machine's drift touches them alike. Throughput rounds on a shared machine spread more than a tracing
// change moves them; this resolves a few per cent.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectorStub } from '../lib/gatehouse.mjs';
import { median } from '../lib/load.mjs';
import { spawnNode } from '../lib/processes.mjs';

export const name = 'tracing-cost';
export const description = "the tracing path's CPU per request in isolation: untraced and traced (and another build), side by side";

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'targets', 'traced-route.mjs');

function variants(ctx) {
  const baseline = process.env.BENCH_BASELINE_ROOT;
  if (baseline && !existsSync(join(baseline, 'dist/libs/observability/src/tracing/server-spans.js')))
    throw new Error(`BENCH_BASELINE_ROOT=${baseline} has no build with server spans`);
  return [
    { label: 'this build, untraced', root: ctx.root, traced: false },
    { label: 'this build, traced', root: ctx.root, traced: true },
    ...(baseline ? [{ label: 'baseline build, traced', root: baseline, traced: true }] : []),
  ];
}

function measure(variant, seconds, endpoint) {
  const proc = spawnNode(`traced-route (${variant.label})`, target, {
    GATEHOUSE_ROOT: variant.root,
    SECONDS: String(seconds),
    TRACED: variant.traced ? '1' : '0',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  });
  return new Promise((resolve, reject) => {
    proc.child.on('exit', (code) => {
      const line = proc.tail.find((text) => text.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('RESULT '.length)));
      else reject(new Error(`${proc.name} exited with ${code}: ${proc.tail.slice(-5).join(' | ')}`));
    });
  });
}

export async function run(ctx) {
  const endpoint = await collectorStub();
  const all = variants(ctx);
  const perRound = all.map(() => []);
  for (let round = 0; round < ctx.rounds; round++) {
    // Which process starts first rotates from window to window, as in token-cpu.
    const order = all.map((_, k) => (k + round) % all.length);
    const started = new Map(order.map((i) => [i, measure(all[i], ctx.seconds, endpoint)]));
    const results = await Promise.all(all.map((_, i) => started.get(i)));
    results.forEach((result, i) => perRound[i].push(result));
    ctx.log(`round ${round + 1}/${ctx.rounds} ${all.map((v, i) => `${v.label}: ${results[i].cpuUsPerRequest.toFixed(1)} µs`).join(', ')}`);
  }
  const cpuOf = (i, round) => perRound[i][round].cpuUsPerRequest;
  return {
    title: "the tracing path's CPU per request, each variant in its own process, in the same windows",
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
      'Each variant is its own Node process serving one Fastify route through Fastify inject, 50 requests in flight: the ' +
        "server span's hooks, a handler awaiting 60 promises (about as many as a token request makes), the audit traceparent " +
        'taken; traced, the OpenTelemetry SDK is started as the apps start it and exports over OTLP/HTTP to a local stub. The ' +
        "variants run in the same windows (which starts first rotates), so the machine's drift touches them alike; × is the " +
        'median of per-window ratios. It isolates what tracing costs per request and resolves a few per cent between builds ' +
        '(`BENCH_BASELINE_ROOT`); what that does to token throughput is for `client-credentials` with `BENCH_TRACING=compare`.',
    ],
  };
}
