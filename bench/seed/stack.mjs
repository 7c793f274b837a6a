// What the scale scenarios (bench/scenarios/audit-pipeline.mjs, tenancy-at-scale.mjs) need to run
// Gatehouse as an operator would: a fresh database on the PostgreSQL server, the production
// environment, the CLI, and each app as its own process. Kept beside the seeding script until
// bench/lib has the shared versions.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { CLOCK_TICKS, processCpu } from '../lib/processes.mjs';

const execFileAsync = promisify(execFile);

export const APP_MAIN = {
  authorization: 'apps/authorization/src/main.js',
  admin: 'apps/admin/src/main.js',
  'audit-worker': 'apps/audit-worker/src/main.js',
  cli: 'apps/admin/src/cli/main.js',
};

/** The compiled tree of a repository (its dist/), or the dist itself. */
export function distOf(root) {
  const dist = existsSync(join(root, APP_MAIN.authorization)) ? root : join(root, 'dist');
  if (!existsSync(join(dist, APP_MAIN.authorization))) throw new Error(`no build under ${dist} (node scripts/build.mjs)`);
  return dist;
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

export async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the server of `adminUrl`; `drop()` removes it. */
export async function createDatabase(adminUrl, label) {
  const name = `gh_bench_${label}_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (db) => db.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.href,
    drop: () => withClient(adminUrl, (db) => db.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** `redisUrl` on another logical database, so this scenario's queues meet no other run's workers. */
export function redisOnDatabase(redisUrl, index) {
  const url = new URL(redisUrl);
  url.pathname = `/${index}`;
  return url.href;
}

/**
 * One deployment: the production environment every app and the CLI of it share (a fresh
 * key-encryption key, its own ports and data directory), with `cli()` and `start()`.
 */
export async function deployment({ root, databaseUrl, redisUrl, log = () => undefined, extraEnv = {} }) {
  const dist = distOf(root);
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-bench-'));
  const ports = { authorization: await freePort(), admin: await freePort(), 'audit-worker': await freePort() };
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    METRICS_TOKEN: randomBytes(24).toString('base64url'),
    LOG_LEVEL: 'error',
    PUBLIC_URL: `http://127.0.0.1:${ports.authorization}`,
    LISTEN_HOST: '127.0.0.1',
    AUTHORIZATION_PORT: String(ports.authorization),
    ADMIN_PORT: String(ports.admin),
    WORKER_PORT: String(ports['audit-worker']),
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: randomBytes(12).toString('base64url'),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    ...extraEnv,
  };
  const children = new Set();

  async function cli(...args) {
    const { stdout } = await execFileAsync(process.execPath, [join(dist, APP_MAIN.cli), ...args, '--json'], {
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout);
  }

  /** Starts an app as its own process and waits for its /health/live. `nodeArgs` e.g. ['--cpu-prof']. */
  async function start(app, { nodeArgs = [] } = {}) {
    const child = spawn(process.execPath, [...nodeArgs, join(dist, APP_MAIN[app])], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    const url = `http://127.0.0.1:${ports[app]}`;
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}: ${stderr}`);
      const live = await fetch(`${url}/health/live`).then(
        (response) => response.ok,
        () => false,
      );
      if (live) break;
      if (attempt > 150) throw new Error(`${app} did not start: ${stderr}`);
      await sleep(200);
    }
    log(`${app} started (pid ${child.pid}) on ${url}`);
    return { app, url, child, pid: child.pid, stop: () => stopChild(child) };
  }

  async function close() {
    await Promise.allSettled([...children].map((child) => stopChild(child)));
    rmSync(dataDir, { recursive: true, force: true });
  }

  return { dist, env, ports, dataDir, cli, start, close, publicUrl: env.PUBLIC_URL };
}

export async function stopChild(child, graceMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(graceMs)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export const sleep = (ms) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** Nearest-rank percentile of numbers (sorted here). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values) => percentile(values, 50);

export const round = (value, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);

/** Raises a tenant's token rate limit to the maximum, so load measures issuing, not refusing. */
export function unlimitTokens(db, slug) {
  return db.query(
    `UPDATE tenants SET rate_limit_policy = rate_limit_policy || '{"tokenRequestsPerClientPerMinute":1000000}' WHERE slug = $1`,
    [slug],
  );
}

export function basicAuth(clientId, secret) {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** One request with fetch: fails unless it is a 2xx, so a load run measures successes. */
export async function expectOk(url, init) {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/**
 * CPU seconds used so far (user + system, from /proc) by: the given pids, every `postgres` process
 * and every `redis-server` process on the machine, and the whole machine (busy, all cores). Linux only;
 * subtract two snapshots to see who was busy during an interval.
 */
export function cpuSnapshot(pids = {}) {
  const ticks = (pid) => {
    try {
      return processCpu(pid);
    } catch {
      return { comm: '', cpu: 0 };
    }
  };
  const snapshot = { at: performance.now() / 1000, postgres: new Map(), redis: new Map() };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const { comm, cpu } = ticks(entry);
    if (comm === 'postgres') snapshot.postgres.set(entry, cpu);
    else if (comm === 'redis-server') snapshot.redis.set(entry, cpu);
  }
  for (const [label, pid] of Object.entries(pids)) snapshot[label] = ticks(pid).cpu;
  const [, ...cpuFields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  snapshot.machine = (cpuFields.reduce((a, b) => a + b, 0) - cpuFields[3] - cpuFields[4]) / CLOCK_TICKS;
  return snapshot;
}

/** Per-second CPU use (in cores) of each member between two snapshots. */
export function cpuBetween(before, after) {
  const wall = after.at - before.at;
  const result = { wall };
  for (const key of Object.keys(after)) {
    if (key === 'at') continue;
    // Per process for the groups: a backend that exited in between must not count as negative time.
    const used =
      after[key] instanceof Map
        ? [...after[key]].reduce((total, [pid, cpu]) => total + cpu - (before[key].get(pid) ?? 0), 0)
        : after[key] - (before[key] ?? 0);
    result[key] = used / wall;
  }
  return result;
}
