// CPU time per token request of each Gatehouse build, at a fixed request rate, all of them loaded in
// the same windows: what a change adds to the serving app, steadier than throughput on a busy machine.
import autocannon from 'autocannon';
import { basicAuth, CLIENT_CREDENTIALS_BODY as BODY, FORM } from '../lib/fixture.mjs';
import { processCpu } from '../lib/processes.mjs';
import { median, withTargets } from '../lib/load.mjs';
import { gatehouseTargets, sample } from '../lib/targets.mjs';

export const name = 'token-cpu';
export const description = 'client_credentials at a fixed rate, every Gatehouse build at once: CPU µs per request of the serving app';

const RATE = Number(process.env.BENCH_FIXED_RATE ?? 400);

function load(target, seconds, connections, overallRate) {
  return autocannon({
    url: target.endpoints.token,
    method: 'POST',
    headers: target.headers,
    body: BODY,
    connections,
    duration: seconds,
    overallRate,
  });
}

export async function run(ctx) {
  return withTargets(gatehouseTargets(ctx), async (targets) => {
    for (const t of targets) {
      t.headers = { authorization: basicAuth(t.service), 'content-type': FORM };
      await sample(t.endpoints.token, { method: 'POST', headers: t.headers, body: BODY }, (b) => typeof b.access_token === 'string');
      await load(t, Math.min(3, ctx.seconds), ctx.connections);
    }
    const perRound = targets.map(() => []);
    for (let round = 0; round < ctx.rounds; round++) {
      for (const t of targets) await t.beforeRun?.();
      const before = targets.map((t) => processCpu(t.servingPid).cpu);
      // The target whose load starts first costs a few per cent more CPU per request (an A/A run showed it):
      // the start order rotates from window to window, so every target takes each place alike.
      const order = targets.map((_, k) => (k + round) % targets.length);
      const started = new Map(order.map((i) => [i, load(targets[i], ctx.seconds, ctx.connections, RATE)]));
      const runs = await Promise.all(targets.map((_, i) => started.get(i)));
      targets.forEach((t, i) => {
        const requests = runs[i].requests.total;
        const cpuUs = ((processCpu(t.servingPid).cpu - before[i]) * 1e6) / requests;
        perRound[i].push({
          cpuUs,
          rps: requests / ctx.seconds,
          p99: runs[i].latency.p99,
          failed: runs[i].errors + runs[i].timeouts + runs[i].non2xx,
        });
      });
      ctx.log(
        `round ${round + 1}/${ctx.rounds} ${targets.map((t, i) => `${t.label}: ${perRound[i][round].cpuUs.toFixed(0)} µs/request`).join(', ')}`,
      );
    }
    return {
      title: `client_credentials at ${RATE} req/s per build: the serving app's CPU per request`,
      columns: ['target', 'CPU µs per request (median)', `× ${targets[0].label}`, 'rounds (×)', 'req/s', 'p99 ms', 'errors / non-2xx'],
      rows: targets.map((t, i) => {
        const rounds = perRound[i];
        const ratios = rounds.map((r, round) => r.cpuUs / perRound[0][round].cpuUs);
        return [
          t.label,
          Math.round(median(rounds.map((r) => r.cpuUs))),
          median(ratios).toFixed(3),
          ratios.map((ratio) => ratio.toFixed(2)).join(', '),
          Math.round(median(rounds.map((r) => r.rps))),
          median(rounds.map((r) => r.p99)),
          rounds.reduce((n, r) => n + r.failed, 0),
        ];
      }),
      notes: [
        `Every Gatehouse target (this build; with \`BENCH_TRACING=compare\` also traced; with \`BENCH_BASELINE_ROOT\` the other build) ` +
          `takes \`POST {token endpoint}\` (client_credentials, as in client-credentials) at ${RATE} req/s (\`BENCH_FIXED_RATE\`) from ` +
          `autocannon's \`overallRate\`, all of them in the same windows, so a slower or busier machine slows them alike; which one's load starts first rotates from window to window (it costs a few per cent more). The serving ` +
          "process's user and system CPU time (`/proc/<pid>/stat`) over a window, divided by the requests it answered, is its cost per " +
          'request; × is the median of the per-window ratios to the first target. Set the rate so every target keeps up (req/s near ' +
          "it): a saturated machine inflates everyone's CPU per request.",
      ],
    };
  });
}
