// The audit pipeline (issue 12): events/s from the outbox to a stored, risk-scored, hash-chained
// audit record with one worker, and the lag while the token endpoint is at full load.
//
// A fresh database; the audit worker (and for the lag part the authorization app) as separate
// production processes on PostgreSQL and Redis (a Redis logical database of its own, so no other
// run's worker takes these jobs).
// (a) throughput: BENCH_AUDIT_EVENTS (20,000) outbox rows, shaped as the token endpoint and the login
//     page write them, inserted and committed in one transaction while the worker is idle; timed from
//     the commit until the last one is recorded. Two kinds: client_credentials `token.issued` (what
//     the token endpoint writes; no risk rules apply) and logins (`login.succeeded`/`login.failed`
//     from many users, IPs and browsers: geolocation, device, velocity history and every risk rule).
// (b) lag: autocannon on POST /token (client_credentials) for ctx.seconds; every 200 ms the age of
//     the oldest unrecorded outbox row; afterwards, from the stored records, recorded_at - occurred_at
//     for each event of the run. Interleaved with a round where the worker is paused (SIGSTOP), so the
//     token endpoint's throughput without the worker's CPU is measured in the same run; its backlog,
//     drained after SIGCONT, is a third throughput figure (real token-endpoint events).
// BENCH_CPU_PROF=1 starts the worker under `node --cpu-prof` and adds where its time went.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { summarizeProfiles } from '../seed/cpu-profile.mjs';
import {
  basicAuth,
  cpuBetween,
  cpuSnapshot,
  createDatabase,
  deployment,
  expectOk,
  median,
  percentile,
  redisOnDatabase,
  round,
  sleep,
  unlimitTokens,
  withClient,
} from '../seed/stack.mjs';

export const name = 'audit-pipeline';
export const description =
  'audit worker: outbox events/s to stored, scored, chained records (token and login events), and the lag under full token load';

const REDIS_DB = 9;
const QUEUE_PREFIX = '{gatehouse-audit}';
const TENANT = 'audit-bench';
const DRAIN_TIMEOUT_MS = 180_000;
const EVENTS_TARGET = 2_000;
const LAG_TARGET_MS = 2_000;

export async function run(ctx) {
  const events = Number(process.env.BENCH_AUDIT_EVENTS ?? 20_000);
  const profile = ['1', 'true'].includes(process.env.BENCH_CPU_PROF ?? '');
  const kinds = (process.env.BENCH_AUDIT_KINDS ?? Object.keys(KINDS).join(',')).split(',').filter((kind) => kind in KINDS);
  const lag = process.env.BENCH_AUDIT_LAG !== '0';
  const { log } = ctx;
  const redisUrl = redisOnDatabase(ctx.redisUrl, REDIS_DB);
  await clearQueue(redisUrl);
  const database = await createDatabase(ctx.databaseUrl, 'audit');
  const profileDir = profile ? mkdtempSync(join(tmpdir(), 'gh-audit-prof-')) : null;
  let stack;
  try {
    stack = await deployment({ root: ctx.root, databaseUrl: database.url, redisUrl, log });
    await stack.cli('migrate');
    await stack.cli('tenant', 'create', TENANT);
    const client = await stack.cli(
      ...`client create --tenant ${TENANT} --name svc --grant-type client_credentials --scope reports`.split(' '),
    );
    const db = await connect(database.url);
    try {
      await unlimitTokens(db, TENANT);
      const tenantId = (await db.query(`SELECT id FROM tenants WHERE slug = $1`, [TENANT])).rows[0].id;
      const worker = await stack.start('audit-worker', { nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] });
      await waitForDrain(db, 30_000); // the tenant's admin.change events

      // (a) throughput from a committed batch of outbox rows.
      const throughput = Object.fromEntries(kinds.map((kind) => [kind, []]));
      for (let r = 0; r < ctx.rounds; r++) {
        for (const kind of r % 2 === 0 ? kinds : [...kinds].reverse()) {
          const result = await throughputRound(db, tenantId, kind, events, client.client_id, r, worker.pid);
          throughput[kind].push(result);
          log(`round ${r + 1} ${kind}: ${result.events} events in ${round(result.seconds, 2)} s = ${round(result.rate, 0)} events/s`);
        }
      }

      // (b) lag under full token load, with a paused-worker round as the token endpoint's own baseline.
      const running = [];
      const paused = [];
      const authorization = lag ? await stack.start('authorization') : null;
      const load = {
        url: `${authorization?.url}/t/${TENANT}/token`,
        method: 'POST',
        headers: { authorization: basicAuth(client.client_id, client.client_secret), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      };
      if (authorization) {
        await expectOk(load.url, load);
        await autocannon({ ...load, connections: ctx.connections, duration: 2 }); // warm-up
        await waitForDrain(db, DRAIN_TIMEOUT_MS);
      }
      for (let r = 0; authorization && r < ctx.rounds; r++) {
        for (const mode of r % 2 === 0 ? ['running', 'paused'] : ['paused', 'running']) {
          const pids = { worker: worker.pid, authorization: authorization.pid };
          const result = mode === 'running' ? await lagRound(db, load, ctx, pids) : await pausedRound(db, load, ctx, worker.child, pids);
          (mode === 'running' ? running : paused).push(result);
          log(
            `round ${r + 1} worker ${mode}: ${round(result.rps, 0)} token req/s` +
              (mode === 'running'
                ? `, lag p50 ${round(result.lagP50, 0)} ms p99 ${round(result.lagP99, 0)} ms max ${round(result.lagMax, 0)} ms, oldest unrecorded max ${round(result.oldestMax, 0)} ms`
                : `, backlog ${result.backlog} drained at ${round(result.drainRate, 0)} events/s`),
          );
        }
      }
      const verify = await stack.cli('audit', 'verify', '--tenant', TENANT).catch((error) => ({ intact: false, error: String(error) }));
      await authorization?.stop();
      await worker.stop();
      const profileSummary = profileDir ? summarizeProfiles(profileDir, { root: stack.dist }) : null;
      return report({ ctx, events, throughput, running, paused, verify, profileSummary });
    } finally {
      await db.end();
    }
  } finally {
    await stack?.close();
    if (process.env.BENCH_AUDIT_KEEP_DATABASE === '1') log(`kept database ${database.url} (BENCH_AUDIT_KEEP_DATABASE)`);
    else await database.drop().catch((error) => log(`drop: ${error}`));
    await clearQueue(redisUrl).catch(() => undefined);
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  }
}

async function connect(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Removes this scenario's queue keys from its own Redis database (never anything else). */
async function clearQueue(redisUrl) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${QUEUE_PREFIX}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

const unrecorded = async (db) => Number((await db.query(`SELECT count(*) AS n FROM audit_outbox WHERE recorded_at IS NULL`)).rows[0].n);

async function waitForDrain(db, timeoutMs) {
  const started = performance.now();
  for (;;) {
    const left = await unrecorded(db);
    if (left === 0) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`audit worker left ${left} outbox rows unrecorded after ${timeoutMs} ms`);
    await sleep(50);
  }
}

// Shapes of what the apps write (apps/authorization: client-credentials.grant.ts, interaction.service.ts).
const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
];
/** Public addresses spread over the world (documentation ranges would not geolocate). */
const IPS = Array.from(
  { length: 400 },
  (_, i) => `${[81, 62, 151, 200, 41, 203, 24, 98, 185, 5][i % 10]}.${(i * 37) % 250}.${(i * 11) % 250}.${(i % 200) + 1}`,
);

function tokenEvent(clientId, index) {
  return {
    type: 'token.issued',
    outcome: 'success',
    payload: {
      clientId,
      ip: '127.0.0.1',
      userAgent: 'autocannon',
      details: { grant_type: 'client_credentials', scopes: ['reports'] },
    },
  };
}

/**
 * Login attempts: `crowd` has 1,000 users and 400 IPs (every user and IP seen again and again inside
 * the velocity windows: a credential-stuffing day); `spread` gives every attempt its own user and IP
 * (little history per event).
 */
function loginEvent(clientId, index, crowd) {
  const user = crowd ? index % 1_000 : index;
  const failed = index % 5 === 0;
  const ip = crowd
    ? IPS[(index * 7) % IPS.length]
    : `${[81, 62, 151, 200, 41, 203, 24, 98, 185, 5][index % 10]}.${(index >> 8) % 250}.${index % 250}.${((index * 13) % 250) + 1}`;
  const base = {
    clientId,
    userId: failed && index % 2 === 0 ? undefined : `00000000-0000-4000-8000-${String(user).padStart(12, '0')}`,
    username: `user${user}`,
    ip,
    userAgent: BROWSERS[index % BROWSERS.length],
  };
  return failed
    ? { type: 'login.failed', outcome: 'failure', payload: { ...base, details: { reason: 'bad_password', failed_login_count: 1 } } }
    : {
        type: 'login.succeeded',
        outcome: 'success',
        payload: { ...base, deviceId: `dev-${user}-${index % 3}`, details: { amr: ['pwd'] } },
      };
}

const KINDS = {
  token: { label: 'token.issued (what the token endpoint writes)', make: tokenEvent },
  'login-spread': {
    label: 'login.succeeded/failed, a user and IP each, every risk rule',
    make: (clientId, index, roundIndex) => loginEvent(clientId, index + roundIndex * 1_000_000, false),
  },
  'login-crowd': {
    label: 'login.succeeded/failed, 1,000 users and 400 IPs seen again and again, every risk rule',
    make: (clientId, index) => loginEvent(clientId, index, true),
  },
};

async function insertEvents(db, tenantId, kind, count, clientId, roundIndex) {
  const { make } = KINDS[kind];
  const base = Date.now() - count; // one millisecond apart, oldest first, ending now
  await db.query('BEGIN');
  for (let start = 0; start < count; start += 1_000) {
    const values = [];
    const tuples = [];
    for (let i = start; i < Math.min(count, start + 1_000); i++) {
      const event = make(clientId, i, roundIndex);
      const at = values.length;
      values.push(tenantId, event.type, event.outcome, new Date(base + i), JSON.stringify(event.payload));
      tuples.push(`($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5})`);
    }
    await db.query(`INSERT INTO audit_outbox (tenant_id, type, outcome, occurred_at, payload) VALUES ${tuples.join(', ')}`, values);
  }
  await db.query('COMMIT');
}

async function throughputRound(db, tenantId, kind, count, clientId, roundIndex, workerPid) {
  // Planner statistics as autovacuum keeps them in a running system: on a table that grew from empty
  // within the last minute they are stale, and the risk-history query then scans every login record.
  await db.query('ANALYZE audit_records, audit_outbox');
  const before = Number((await db.query(`SELECT count(*) AS n FROM audit_records`)).rows[0].n);
  const marker = new Date();
  await insertEvents(db, tenantId, kind, count, clientId, roundIndex);
  const committed = performance.now();
  const cpuBefore = cpuSnapshot({ worker: workerPid });
  await waitForDrain(db, DRAIN_TIMEOUT_MS);
  const seconds = (performance.now() - committed) / 1000;
  const cpu = cpuBetween(cpuBefore, cpuSnapshot({ worker: workerPid }));
  const { rows } = await db.query(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE risk_score > 0)::int AS scored,
            extract(epoch FROM max(recorded_at) - min(recorded_at)) AS span
     FROM audit_records WHERE recorded_at >= $1`,
    [marker],
  );
  const after = Number((await db.query(`SELECT count(*) AS n FROM audit_records`)).rows[0].n);
  if (after - before !== count) throw new Error(`${kind}: expected ${count} new audit records, found ${after - before}`);
  // Each recorder batch stamps its records with one recorded_at: the batches' sizes and spacing.
  const { rows: batches } = await db.query(
    `SELECT count(*)::int AS n, extract(epoch FROM recorded_at) * 1000 AS at FROM audit_records WHERE recorded_at >= $1
     GROUP BY recorded_at ORDER BY recorded_at`,
    [marker],
  );
  const gaps = batches.slice(1).map((batch, index) => Number(batch.at) - Number(batches[index].at));
  return {
    events: count,
    seconds,
    rate: count / seconds,
    risky: rows[0].scored,
    spanSeconds: Number(rows[0].span),
    cpu,
    batches: batches.length,
    batchSize: median(batches.map((batch) => batch.n)),
    batchMax: Math.max(...batches.map((batch) => batch.n)),
    batchGapMs: median(gaps),
  };
}

async function lagRound(db, load, ctx, pids) {
  const samples = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { rows } = await db.query(
        `SELECT extract(epoch FROM clock_timestamp() - min(occurred_at)) * 1000 AS age FROM audit_outbox WHERE recorded_at IS NULL`,
      );
      samples.push(rows[0].age === null ? 0 : Number(rows[0].age));
      await sleep(200);
    }
  })();
  const started = new Date();
  const cpuBefore = cpuSnapshot(pids);
  const result = await autocannon({ ...load, connections: ctx.connections, duration: ctx.seconds });
  const cpu = cpuBetween(cpuBefore, cpuSnapshot(pids));
  const ended = new Date();
  sampling = false;
  await sampler;
  const drainMs = await waitForDrain(db, DRAIN_TIMEOUT_MS);
  const { rows } = await db.query(
    `SELECT count(*)::int AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) AS p99,
            max(lag) AS max
     FROM (SELECT extract(epoch FROM recorded_at - occurred_at) * 1000 AS lag FROM audit_records
           WHERE type = 'token.issued' AND occurred_at >= $1 AND occurred_at < $2) AS l`,
    [started, ended],
  );
  return {
    rps: result.requests.average,
    tokenP99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    recorded: rows[0].n,
    recordRate: rows[0].n / ((ended - started) / 1000),
    lagP50: Number(rows[0].p50),
    lagP99: Number(rows[0].p99),
    lagMax: Number(rows[0].max),
    oldestP50: median(samples),
    oldestP99: percentile(samples, 99),
    oldestMax: Math.max(...samples),
    drainMs,
    cpu,
  };
}

/** The token endpoint alone (worker stopped with SIGSTOP), then the backlog it left, drained. */
async function pausedRound(db, load, ctx, workerProcess, pids) {
  workerProcess.kill('SIGSTOP');
  let result;
  let cpu;
  try {
    const cpuBefore = cpuSnapshot(pids);
    result = await autocannon({ ...load, connections: ctx.connections, duration: ctx.seconds });
    cpu = cpuBetween(cpuBefore, cpuSnapshot(pids));
  } finally {
    workerProcess.kill('SIGCONT');
  }
  const backlog = await unrecorded(db);
  const drainMs = await waitForDrain(db, DRAIN_TIMEOUT_MS);
  return {
    rps: result.requests.average,
    tokenP99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    backlog,
    drainRate: backlog / (drainMs / 1000),
    cpu,
  };
}

function report({ ctx, events, throughput, running, paused, verify, profileSummary }) {
  const columns = ['measurement', 'events/s', 'token req/s', 'lag p50 ms', 'lag p99 ms', 'lag max ms', 'target', 'met', 'non-2xx / errors'];
  const rows = [];
  for (const kind of Object.keys(throughput)) {
    const label = KINDS[kind].label;
    const rate = median(throughput[kind].map((r) => r.rate));
    rows.push([
      `(a) ${events} ${label} outbox rows → records, one worker`,
      round(rate, 0),
      '',
      '',
      '',
      '',
      `≥ ${EVENTS_TARGET} events/s`,
      rate >= EVENTS_TARGET ? 'yes' : 'NO',
      '',
    ]);
  }
  const sum = (list, key) => list.reduce((total, r) => total + r[key], 0);
  if (paused.length > 0) {
    const drain = median(paused.map((r) => r.drainRate));
    rows.push([
      `(a) backlog left by the paused round (${median(paused.map((r) => r.backlog))} token.issued), drained`,
      round(drain, 0),
      '',
      '',
      '',
      '',
      `≥ ${EVENTS_TARGET} events/s`,
      drain >= EVENTS_TARGET ? 'yes' : 'NO',
      '',
    ]);
    rows.push([
      `(b) token endpoint at full load, worker paused (baseline)`,
      '',
      round(median(paused.map((r) => r.rps)), 0),
      '',
      '',
      '',
      '',
      '',
      `${sum(paused, 'non2xx')} / ${sum(paused, 'errors')}`,
    ]);
  }
  if (running.length > 0) {
    const lagP99 = median(running.map((r) => r.lagP99));
    const lagMax = Math.max(...running.map((r) => r.lagMax));
    rows.push([
      `(b) token endpoint at full load, worker running: occurred → recorded`,
      round(median(running.map((r) => r.recordRate)), 0),
      round(median(running.map((r) => r.rps)), 0),
      round(median(running.map((r) => r.lagP50)), 0),
      round(lagP99, 0),
      round(lagMax, 0),
      `< ${LAG_TARGET_MS} ms`,
      lagMax < LAG_TARGET_MS ? 'yes' : lagP99 < LAG_TARGET_MS ? 'p99 yes, max NO' : 'NO',
      `${sum(running, 'non2xx')} / ${sum(running, 'errors')}`,
    ]);
    rows.push([
      `(b) same, age of the oldest unrecorded outbox row (sampled every 200 ms)`,
      '',
      '',
      round(median(running.map((r) => r.oldestP50)), 0),
      round(median(running.map((r) => r.oldestP99)), 0),
      round(Math.max(...running.map((r) => r.oldestMax)), 0),
      `< ${LAG_TARGET_MS} ms`,
      Math.max(...running.map((r) => r.oldestMax)) < LAG_TARGET_MS ? 'yes' : 'NO',
      '',
    ]);
  }
  const notes = [
    `One audit worker process (NODE_ENV=production, Redis queue on its own logical database, pool ${process.env.DATABASE_POOL_SIZE ?? 10}); ` +
      `${ctx.rounds} rounds, medians, kinds and modes interleaved with alternating order.`,
    `(a) is timed from the COMMIT of ${events} outbox rows (one transaction, the worker idle and polling, ANALYZE run just before) until no row is left unrecorded. ` +
      `First to last recorded_at (the rest is pick-up and the last commit): ${Object.entries(throughput)
        .map(([kind, list]) => `${kind} ${round(median(list.map((r) => r.spanSeconds)), 2)} s`)
        .join(', ')}. Login rows: 4 browsers, 20% failures; scored above 0: ${Object.entries(throughput)
        .filter(([kind]) => kind !== 'token')
        .map(([kind, list]) => `${kind} ${median(list.map((r) => r.risky))}`)
        .join(', ')}.`,
  ];
  if (running.length > 0) {
    notes.push(
      `(b) autocannon POST /t/${TENANT}/token client_credentials (client_secret_basic), ${ctx.connections} connections, ${ctx.seconds} s; ` +
        `lag is recorded_at - occurred_at of every token.issued event of the load window; drain after load ended: ${round(median(running.map((r) => r.drainMs)), 0)} ms (median). ` +
        `The paused round stops the worker with SIGSTOP: the token endpoint's throughput without the worker competing for the 2 cores.`,
    );
  }
  notes.push(
    `Recorder batches (records sharing one recorded_at): ${Object.entries(throughput)
      .map(
        ([kind, list]) =>
          `${kind} ${median(list.map((r) => r.batches))} batches, median ${median(list.map((r) => r.batchSize))} events (max ${Math.max(...list.map((r) => r.batchMax))}), ` +
          `one every ${round(median(list.map((r) => r.batchGapMs)), 0)} ms`,
      )
      .join('; ')}.`,
  );
  const cores = (list) => {
    const keys = ['worker', 'authorization', 'postgres', 'redis', 'machine'].filter((key) => list[0]?.cpu?.[key] !== undefined);
    return keys.map((key) => `${key} ${round(median(list.map((r) => r.cpu[key])), 2)}`).join(', ');
  };
  notes.push(
    `CPU in use, in cores (of 2; /proc, medians; postgres and redis are every such process on the machine, machine is all busy time including other work): ` +
      [
        ...Object.entries(throughput).map(([kind, list]) => `(a) ${kind}: ${cores(list)}`),
        ...(paused.length > 0 ? [`(b) worker paused: ${cores(paused)}`] : []),
        ...(running.length > 0 ? [`(b) worker running: ${cores(running)}`] : []),
      ].join('; ') +
      '.',
  );
  notes.push(
    `Chain check after the run (audit verify): ${verify.intact ? `intact, ${verify.checked} records` : `NOT intact: ${JSON.stringify(verify)}`}.`,
  );
  if (profileSummary) {
    const pct = (ms) => `${round((ms / profileSummary.totalMs) * 100, 1)}%`;
    notes.push(
      `Worker CPU profile (node --cpu-prof, whole run): ${round(profileSummary.totalMs / 1000, 1)} s sampled, idle ${pct(profileSummary.idleMs)}, GC ${pct(profileSummary.gcMs)}. ` +
        `Self time by package: ${profileSummary.byPackage
          .slice(0, 10)
          .map((g) => `${g.group} ${pct(g.ms)}`)
          .join(', ')}.`,
      `Top self time: ${profileSummary.top.map((f) => `${f.name} (${f.where}) ${pct(f.ms)}`).join('; ')}.`,
    );
  }
  return { title: 'Audit pipeline', columns, rows, notes };
}
