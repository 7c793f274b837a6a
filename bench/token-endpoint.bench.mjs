// POST /t/{tenant}/token (client_credentials) and POST /t/{tenant}/introspect on real PostgreSQL and
// Redis, production configuration, one authorization app process per build.
//
//   node bench/token-endpoint.bench.mjs                                    # this tree only
//   BENCH_BEFORE=/path/to/old-tree node bench/token-endpoint.bench.mjs     # old tree vs this tree
//
// BENCH_BEFORE and BENCH_AFTER (default: this tree) are worktree paths or their dist/ directories,
// each already built. Every build gets a fresh database (dropped at the end), the tenant `bench`, an
// API, a client_credentials client and a token rate limit raised to the maximum. Each round runs every
// scenario on each build back to back (alternating which build goes first); the table shows medians.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const API = 'https://orders.bench.test';
const WITH_RESOURCE = `grant_type=client_credentials&resource=${encodeURIComponent(API)}&scope=orders:read`;

/** A worktree or its dist/: where the compiled apps are, and the commit they were built from. */
function locateBuild(label, path) {
  const root = resolve(path);
  const dist = existsSync(join(root, 'apps/authorization/src/main.js')) ? root : join(root, 'dist');
  if (!existsSync(join(dist, 'apps/authorization/src/main.js')))
    throw new Error(`${label}: no build under ${dist} (node scripts/build.mjs)`);
  const commit = execFileSync('git', ['-C', dirname(dist), 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  return { label, dist, commit };
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

async function withPostgres(fn) {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Fresh database, migrated and provisioned through the build's own CLI, then its authorization app. */
async function startBuild(build) {
  const database = `gh_bench_${build.label}_${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-bench-'));
  const stopped = { database, dataDir, child: undefined };
  build.cleanup = () => stopBuild(stopped);
  await withPostgres((db) => db.query(`CREATE DATABASE ${database}`));
  const databaseUrl = new URL(postgresUrl);
  databaseUrl.pathname = `/${database}`;
  const [port, adminPort, workerPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'error',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LISTEN_HOST: '127.0.0.1',
    AUTHORIZATION_PORT: String(port),
    ADMIN_PORT: String(adminPort),
    WORKER_PORT: String(workerPort),
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: randomBytes(12).toString('base64url'),
    DATABASE_URL: databaseUrl.href,
    REDIS_URL: redisUrl,
  };
  const cli = (...args) =>
    JSON.parse(
      execFileSync(process.execPath, [join(build.dist, 'apps/admin/src/cli/main.js'), ...args, '--json'], { env, encoding: 'utf8' }),
    );
  cli('migrate');
  cli('tenant', 'create', 'bench');
  cli('api', 'create', '--tenant', 'bench', '--identifier', API, '--scope', 'orders:read');
  const client = cli(...'client create --tenant bench --name svc --grant-type client_credentials --scope orders:read'.split(' '));
  // The token endpoint limits each client per minute (default 6000): raise it to the maximum, for every
  // build alike, so the benchmark measures issuing tokens rather than refusing them.
  const tenantDb = new pg.Client({ connectionString: databaseUrl.href });
  await tenantDb.connect();
  await tenantDb.query(
    `UPDATE tenants SET rate_limit_policy = rate_limit_policy || '{"tokenRequestsPerClientPerMinute":1000000}' WHERE slug = 'bench'`,
  );
  await tenantDb.end();

  stopped.child = spawn(process.execPath, [join(build.dist, 'apps/authorization/src/main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (stopped.child.exitCode !== null) throw new Error(`${build.label}: authorization app exited with ${stopped.child.exitCode}`);
    if (await isLive(url)) break;
    if (attempt > 100) throw new Error(`${build.label}: authorization app did not start`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`;
  const headers = { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' };
  const { access_token: token } = await sample(`${url}/t/bench/token`, headers, WITH_RESOURCE);
  return { url, headers, token };
}

async function stopBuild({ database, dataDir, child }) {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  await withPostgres((db) => db.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  rmSync(dataDir, { recursive: true, force: true });
}

const isLive = (url) =>
  fetch(`${url}/health/live`).then(
    (response) => response.ok,
    () => false,
  );

/** One request with fetch before any load: the benchmark must measure successes, not errors. */
async function sample(url, headers, body) {
  const response = await fetch(url, { method: 'POST', headers, body });
  const json = await response.json();
  if (response.status !== 200 || json.error || json.active === false)
    throw new Error(`${url} answered ${response.status} ${JSON.stringify(json)}`);
  return json;
}

const scenarios = [
  { name: 'token: client_credentials, resource + scope', path: '/t/bench/token', body: () => WITH_RESOURCE },
  { name: 'token: client_credentials, no resource, no scope', path: '/t/bench/token', body: () => 'grant_type=client_credentials' },
  { name: 'introspect: own access token', path: '/t/bench/introspect', body: (server) => `token=${encodeURIComponent(server.token)}` },
];

async function load(server, scenario, duration) {
  const result = await autocannon({
    url: server.url + scenario.path,
    method: 'POST',
    headers: server.headers,
    body: scenario.body(server),
    connections,
    duration,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const builds = [
  ...(process.env.BENCH_BEFORE ? [locateBuild('before', process.env.BENCH_BEFORE)] : []),
  locateBuild(process.env.BENCH_BEFORE ? 'after' : 'current', process.env.BENCH_AFTER ?? join(here, '..')),
];
const runs = new Map(); // `${build}|${scenario}` -> per-round results
process.once('SIGINT', () => Promise.allSettled(builds.map((b) => b.cleanup?.())).then(() => process.exit(130)));
try {
  const servers = [];
  for (const build of builds) servers.push(await startBuild(build));
  for (const scenario of scenarios) {
    for (const [i, build] of builds.entries()) {
      await sample(servers[i].url + scenario.path, servers[i].headers, scenario.body(servers[i]));
      await load(servers[i], scenario, 2); // warm-up
      runs.set(`${build.label}|${scenario.name}`, []);
    }
  }
  // Same scenario back to back on each build, so drift on the machine hits both alike.
  for (let round = 0; round < rounds; round++) {
    for (const scenario of scenarios) {
      const order = [...builds.keys()];
      for (const i of round % 2 === 0 ? order : order.reverse()) {
        const run = await load(servers[i], scenario, seconds);
        runs.get(`${builds[i].label}|${scenario.name}`).push(run);
        process.stderr.write(
          `round ${round + 1} ${builds[i].label} ${scenario.name}: ${run.rps.toFixed(0)} req/s, ${run.non2xx} non-2xx, ${run.errors} errors\n`,
        );
      }
    }
  }
} finally {
  await Promise.allSettled(builds.map((b) => b.cleanup?.()));
}

const rows = [];
const ratios = [];
for (const scenario of scenarios) {
  const first = runs.get(`${builds[0].label}|${scenario.name}`);
  for (const build of builds) {
    const list = runs.get(`${build.label}|${scenario.name}`);
    const rps = median(list.map((r) => r.rps));
    const ratio = build === builds[0] ? '' : `${((rps / median(first.map((r) => r.rps))) * 100).toFixed(1)}%`;
    if (ratio) ratios.push(`${scenario.name} ${ratio}`);
    const sum = (key) => list.reduce((total, r) => total + r[key], 0);
    const latency = `${median(list.map((r) => r.p50))} | ${median(list.map((r) => r.p99))}`;
    rows.push(
      `| ${scenario.name} | ${build.label} (${build.commit}) | ${rps.toFixed(0)} | ${ratio} | ${latency} | ${sum('non2xx')} | ${sum('errors')} |`,
    );
  }
}

const results = join(here, 'RESULTS.md');
if (!existsSync(results)) writeFileSync(results, '# Benchmark results\n\nAppended by each run of a benchmark in bench/.\n');
const table = [
  '',
  `## token-endpoint: client_credentials and introspection (${new Date().toISOString()})`,
  '',
  `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${connections} connections, ${seconds} s per round, ` +
    `${rounds} rounds per build and scenario (median shown), PostgreSQL and Redis on loopback, NODE_ENV=production.`,
  '',
  '| scenario | build | req/s | vs before | p50 ms | p99 ms | non-2xx | errors |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  ratios.length > 0
    ? `The after build serves, of the before build's throughput: ${ratios.join('; ')}.`
    : 'One build measured (set BENCH_BEFORE to compare).',
  '',
].join('\n');
appendFileSync(results, table);
process.stdout.write(table);
