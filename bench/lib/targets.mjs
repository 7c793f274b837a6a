// The three targets every load scenario compares, started one after another, in the order of round 1.
import { startLimit, startPeer } from './baselines.mjs';
import { startGatehouse } from './gatehouse.mjs';

/** BENCH_TARGETS=gatehouse leaves out the limit and the peer: an A/B run of two builds in half the time. */
const withBaselines = process.env.BENCH_TARGETS !== 'gatehouse';

export const allTargets = (ctx) => [...(withBaselines ? [() => startLimit(ctx), () => startPeer(ctx)] : []), ...gatehouseTargets(ctx)];

/** This build, and the variants and other build BENCH_RATE_LIMITS, BENCH_TRACING and BENCH_BASELINE_ROOT ask for. */
export const gatehouseTargets = (ctx) => [
  () => startGatehouse(ctx),
  ...(process.env.BENCH_RATE_LIMITS === 'compare' ? [() => startGatehouse(onAnotherRedisDatabase(ctx), { rateLimits: false })] : []),
  ...(process.env.BENCH_TRACING === 'compare'
    ? [
        () =>
          startGatehouse(onAnotherRedisDatabase(ctx, 3), { tracing: true, variant: { key: 'gatehouse-tracing', label: ' (tracing on)' } }),
      ]
    : []),
  ...(process.env.BENCH_BASELINE_ROOT ? [() => startBaselineBuild(ctx, process.env.BENCH_BASELINE_ROOT)] : []),
];

/**
 * BENCH_BASELINE_ROOT=<checkout>: that checkout's build (its own dist, migrations and seed) joins the
 * targets as "Gatehouse (baseline)", measured in the same interleaved rounds: a change's cost
 * without the noise of separate runs.
 */
function startBaselineBuild(ctx, root) {
  return startGatehouse(
    { ...onAnotherRedisDatabase(ctx, 2), root },
    {
      tracing: ['on', 'baseline'].includes(process.env.BENCH_TRACING ?? ''),
      variant: { key: 'gatehouse-baseline', label: ` (baseline build${process.env.BENCH_TRACING === 'baseline' ? ', tracing on' : ''})` },
    },
  );
}

/** Each Gatehouse start empties its Redis database: a second stack running beside the first needs its own. */
function onAnotherRedisDatabase(ctx, offset = 1) {
  const url = new URL(ctx.redisUrl);
  url.pathname = `/${(Number(url.pathname.slice(1)) || 0) + offset}`;
  return { ...ctx, redisUrl: url.toString() };
}

/** One request with fetch before any load: a benchmark must measure successes, not errors. */
export async function sample(url, init, check = () => true) {
  const response = await fetch(url, init);
  const text = await response.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  if (response.status !== 200 || !check(body))
    throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return body;
}
