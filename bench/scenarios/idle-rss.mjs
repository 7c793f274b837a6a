// Resident memory after start-up and 5 s idle: each Gatehouse app as its own process on PostgreSQL
// and Redis, `npm start` on the embedded database, and the two baselines for scale.
import { startLimit, startPeer } from '../lib/baselines.mjs';
import { startGatehouse } from '../lib/gatehouse.mjs';
import { median } from '../lib/load.mjs';
import { rssMb, sleep } from '../lib/processes.mjs';

export const name = 'idle-rss';
export const description = 'RSS after start-up and 5 s idle: each app on PostgreSQL, npm start on the embedded database, the baselines';

const IDLE_MS = 5000;
const TARGET_APP_MB = 200;
const TARGET_EMBEDDED_MB = 300;

/** [label, start, which processes, issue 12's target in MB or null] */
const SUBJECTS = (ctx) => [
  ['limit (Fastify + jose)', () => startLimit(ctx), (t) => ({ server: t.processes[0] }), null],
  ['oidc-provider 9.13.3', () => startPeer(ctx), (t) => ({ server: t.processes[0] }), null],
  ['Gatehouse on PostgreSQL + Redis', () => startGatehouse(ctx), (t) => t.processes, TARGET_APP_MB],
  [
    'Gatehouse `npm start`, embedded database',
    () => startGatehouse(ctx, { layout: 'standalone', embedded: true }),
    (t) => t.processes,
    TARGET_EMBEDDED_MB,
  ],
];

export async function run(ctx) {
  const samples = new Map(); // "label|process" -> MB per round
  const targets = new Map();
  for (let round = 0; round < ctx.rounds; round++) {
    for (const [label, start, processesOf, target] of SUBJECTS(ctx)) {
      const t = await start();
      try {
        await sleep(IDLE_MS);
        for (const [process, proc] of Object.entries(processesOf(t))) {
          const key = `${label}|${process}`;
          if (!samples.has(key)) samples.set(key, []);
          samples.get(key).push(rssMb(proc.pid));
          targets.set(key, target);
          ctx.log(`round ${round + 1}/${ctx.rounds} ${label} ${process}: ${rssMb(proc.pid)} MB`);
        }
      } finally {
        await t.stop();
      }
    }
  }
  const rows = [...samples].map(([key, values]) => {
    const [label, process] = key.split('|');
    const mb = median(values);
    const target = targets.get(key);
    return [
      label,
      process,
      mb,
      `${Math.min(...values)}–${Math.max(...values)}`,
      target === null ? '—' : `< ${target}${mb < target ? ' ✓' : ' ✗'}`,
    ];
  });
  return {
    title: 'idle RSS after start-up',
    columns: ['target', 'process', 'RSS MB (median)', 'range MB', 'issue 12 target MB'],
    rows,
    notes: [
      `Each start is a fresh one, ${ctx.rounds} times; VmRSS from /proc/<pid>/status once every process answered ready and ${IDLE_MS / 1000} s ` +
        'passed with no traffic. Gatehouse on PostgreSQL + Redis: `node dist/apps/{authorization,admin,audit-worker}/src/main.js`, ' +
        'NODE_ENV=production, a fresh migrated and seeded database. `npm start`: `node --liftoff-only dist/apps/standalone/src/main.js` (what the ' +
        "script runs after checking the build; npm's own process not counted) with no DATABASE_URL, REDIS_URL or NODE_ENV and a " +
        'scratch DATA_DIR, so embedded PGlite is created, migrated and bootstrapped on that start, as on a fresh clone.',
    ],
  };
}
