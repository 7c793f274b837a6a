// Load generators (autocannon for single requests, a concurrent loop for chains) and interleaved
// rounds: round 1 runs limit, peer, Gatehouse; round 2 starts one further along; medians at the end.
import autocannon from 'autocannon';
import { rssMb } from './processes.mjs';

export const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** One autocannon run; a "request" is one HTTP request. */
export async function cannon({ url, method = 'GET', headers, body, connections, seconds }) {
  const result = await autocannon({ url, method, headers, body, connections, duration: seconds });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/**
 * `connections` chains run `step(state)` back to back for `seconds`; an operation is one step (it
 * may be several requests). A step that throws counts as an error and its chain starts over with
 * `setup(i)` (a refresh chain whose token is lost cannot go on).
 */
export async function loop({ connections, seconds, setup = async () => ({}), step }) {
  const latencies = [];
  let errors = 0;
  let firstError;
  const states = await Promise.all(Array.from({ length: connections }, (_, i) => setup(i)));
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    states.map(async (initial, i) => {
      let state = initial;
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          await step(state, i);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors += 1;
          firstError ??= error;
          state = await setup(i).catch(() => state);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]) : NaN);
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors, non2xx: 0, firstError: firstError?.message };
}

/**
 * Runs `measure(target, seconds)` on every target: a short warm-up each, then `ctx.rounds` rounds,
 * the order rotating each round so drift on the machine hits every target alike. Returns per target
 * the medians (req/s, p50, p99), the summed errors and non-2xx, and its serving process's RSS after.
 */
export async function interleave(ctx, targets, measure, { what = '' } = {}) {
  const runs = new Map(targets.map((t) => [t, []]));
  for (const target of targets) await measure(target, Math.min(2, ctx.seconds));
  for (let round = 0; round < ctx.rounds; round++) {
    const order = targets.map((_, i) => targets[(i + round) % targets.length]);
    for (const target of order) {
      await target.beforeRun?.();
      const run = await measure(target, ctx.seconds);
      runs.get(target).push(run);
      ctx.log(
        `round ${round + 1}/${ctx.rounds} ${what} ${target.label}: ${run.rps.toFixed(0)}/s, p99 ${run.p99} ms, ` +
          `${run.errors} errors, ${run.non2xx} non-2xx${run.firstError ? ` (first: ${run.firstError})` : ''}`,
      );
    }
  }
  return targets.map((target) => {
    const list = runs.get(target);
    return {
      target,
      rps: median(list.map((r) => r.rps)),
      p50: median(list.map((r) => r.p50)),
      p99: median(list.map((r) => r.p99)),
      errors: list.reduce((n, r) => n + r.errors, 0),
      non2xx: list.reduce((n, r) => n + r.non2xx, 0),
      rss: rssMb(target.servingPid),
      firstError: list.find((r) => r.firstError)?.firstError,
    };
  });
}

export const LOAD_COLUMNS = [
  'target',
  'req/s (median)',
  'p50 ms',
  'p99 ms',
  'errors / non-2xx',
  'RSS after (MB)',
  '× limit',
  '× oidc-provider',
];

const ratio = (value, base) => (base && Number.isFinite(base) && Number.isFinite(value) ? (value / base).toFixed(2) : '—');

/** Table rows for `interleave`'s results; `prefix` names the endpoint when a scenario has several. */
export function loadRows(results, prefix = '') {
  const limit = results.find((r) => r.target.key === 'limit')?.rps;
  const peer = results.find((r) => r.target.key === 'peer')?.rps;
  return results.map((r) => [
    `${prefix}${r.target.label}`,
    Math.round(r.rps),
    r.p50,
    r.p99,
    `${r.errors} / ${r.non2xx}`,
    Number.isFinite(r.rss) ? r.rss : '—',
    ratio(r.rps, limit),
    ratio(r.rps, peer),
  ]);
}

/** Starts the targets one after another (never in parallel: start-up is not what is measured), stops them all at the end. */
export async function withTargets(starters, fn) {
  const targets = [];
  try {
    for (const start of starters) targets.push(await start());
    return await fn(targets);
  } finally {
    await Promise.allSettled(targets.map((t) => t.stop()));
  }
}
