// Gatehouse as an operator runs it: production mode, the authorization app, the admin app and the
// audit worker as separate processes on a fresh PostgreSQL database and Redis (README "Run it",
// "Configuration"); or the all-in-one `npm start` entry point (dist/apps/standalone).
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { analyze, createDatabase, migrate } from './database.mjs';
import { API, API_SCOPE, browserUser, REDIRECT_URI, TENANT, USER } from './fixture.mjs';
import { signInThroughPages } from './baselines.mjs';
import { freePort, onInterrupt, spawnNode, stopProcess, waitForReady } from './processes.mjs';

const APPS = {
  authorization: 'dist/apps/authorization/src/main.js',
  admin: 'dist/apps/admin/src/main.js',
  worker: 'dist/apps/audit-worker/src/main.js',
  standalone: 'dist/apps/standalone/src/main.js',
};

/** BENCH_RATE_LIMITS=off: Gatehouse counts no endpoint limit; =compare: a second Gatehouse without them joins the targets. */
const limitsOff = () => process.env.BENCH_RATE_LIMITS === 'off';

/** Every endpoint limit at its maximum: the scenarios measure throughput, not the limits' refusals. */
const UNTHROTTLED = {
  loginAttemptsPerIpPerMinute: 100_000,
  tokenRequestsPerClientPerMinute: 1_000_000,
  authorizeRequestsPerClientIpPerHour: 1_000_000,
  codeExchangesPerClientIpPerMinute: 1_000_000,
  codeExchangesPerClientUserPerMinute: 1_000_000,
  refreshesPerFamilyPerHour: 1_000_000,
  introspectionRequestsPerClientPerMinute: 1_000_000,
  revocationRequestsPerClientPerMinute: 1_000_000,
};

/**
 * The login scenario's 50 browsers sign in over and over, all from the loopback address: adaptive sign-in
 * (ADR 0011) would rightly see a velocity of attempts and a credential-stuffing pattern (many usernames from
 * one IP) and ask for a second factor nobody has, refusing every sign-in after the first few. Those two rules
 * add no points for the bench tenant; every rule still runs.
 */
const BENCH_RISK_POLICY = { velocityPoints: 0, credentialStuffingPoints: 0 };

/** The environment the README documents; `database: false` leaves DATABASE_URL and REDIS_URL unset (embedded). */
async function environment(ctx, { databaseUrl, production = true, rateLimits = true, tracing = false }) {
  const ports = { authorization: await freePort(), admin: await freePort(), worker: await freePort() };
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-bench-'));
  const env = {
    // Production needs METRICS_TOKEN or METRICS_PORT; a token keeps /metrics on the apps' ports, as most operators run it.
    ...(production
      ? {
          NODE_ENV: 'production',
          KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          METRICS_TOKEN: randomBytes(24).toString('base64url'),
        }
      : {}),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    ENV_FILE: '',
    PUBLIC_URL: `http://127.0.0.1:${ports.authorization}`,
    LISTEN_HOST: '127.0.0.1',
    AUTHORIZATION_PORT: String(ports.authorization),
    ADMIN_PORT: String(ports.admin),
    WORKER_PORT: String(ports.worker),
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: randomBytes(12).toString('base64url'),
    // The admin app's RSA key pool (64 pairs by default) fills at start-up, using tens of seconds of CPU
    // that would land in the first rounds: the load scenarios measure the steady state, and create no tenant.
    SIGNING_KEY_POOL_SIZE: '0',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, REDIS_URL: ctx.redisUrl } : {}),
    // The endpoint limits counted nowhere, to measure what they cost (docs/adr/0009).
    ...(rateLimits ? {} : { RATE_LIMITS_ENABLED: 'false' }),
    // BENCH_TRACING=on: every span exported over OTLP/HTTP to a local stub collector (docs/adr/0013).
    ...(tracing ? { OTEL_EXPORTER_OTLP_ENDPOINT: await collectorStub(), ...samplerSettings() } : {}),
  };
  return { env, ports, dataDir };
}

/** BENCH_TRACED_APPS=authorization,…: only those apps trace (the cost of each app's tracing); unset, all of them. */
function tracedOnlyIfListed(name, env) {
  const listed = process.env.BENCH_TRACED_APPS?.split(',').map((app) => app.trim());
  if (!listed || listed.includes(name) || !env.OTEL_EXPORTER_OTLP_ENDPOINT) return env;
  const { OTEL_EXPORTER_OTLP_ENDPOINT: _off, ...untraced } = env;
  return untraced;
}

/** The run's own OTEL_TRACES_SAMPLER / _ARG, passed on: the cost of tracing at a sampling ratio. */
export function samplerSettings() {
  const names = ['OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG'];
  return Object.fromEntries(names.filter((name) => process.env[name]).map((name) => [name, process.env[name]]));
}

let collector;
/** An OTLP/HTTP collector that accepts and drops everything, on loopback, shared by the run. */
export async function collectorStub() {
  if (!collector) {
    collector = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    collector.unref();
    await new Promise((resolve) => collector.listen(0, '127.0.0.1', resolve));
  }
  return `http://127.0.0.1:${collector.address().port}`;
}

/**
 * BullMQ job ids are outbox ids, which restart at 1 in a fresh database: empty the benchmark's
 * Redis database first, so no job of an earlier run stands in for a new one. Never database 0.
 */
async function emptyRedis(redisUrl) {
  const index = Number(new URL(redisUrl).pathname.slice(1) || 0);
  if (index === 0) throw new Error(`BENCH_REDIS_URL ${redisUrl} uses Redis database 0: give the benchmark its own (e.g. /12)`);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  await redis.flushdb();
  redis.disconnect();
}

const dist = (root, path) => import(pathToFileURL(join(root, 'dist', path)).href);

/**
 * The tenant `bench`: an API, a confidential client_credentials client, a first-party confidential
 * web client, a user; every rate limit raised to its maximum so none throttles, and the velocity and credential-stuffing rules without points.
 */
async function seed(root, env, { browserUsers = 0 } = {}) {
  const { loadConfig } = await dist(root, 'libs/config/src/index.js');
  const { openInfrastructure } = await dist(root, 'libs/persistence/src/index.js');
  const { createAdminServices } = await dist(root, 'apps/admin/src/index.js');
  const config = loadConfig(env);
  const infrastructure = await openInfrastructure(config);
  try {
    const admin = await createAdminServices(config, infrastructure.persistence, infrastructure.redis);
    await admin.tenants.create(TENANT, 'Bench');
    const tenant = await admin.tenants.get(TENANT);
    await admin.tenants.update(TENANT, tenant, { rateLimitPolicy: UNTHROTTLED, riskPolicy: BENCH_RISK_POLICY });
    await admin.apis.create({ tenant: TENANT, identifier: API, scope: API_SCOPE, name: 'Orders' });
    await admin.users.create({ tenant: TENANT, username: USER.username, email: USER.email, password: USER.password });
    for (let index = 0; index < browserUsers; index++) await admin.users.create({ tenant: TENANT, ...browserUser(index) });
    const service = await admin.clients.create({ tenant: TENANT, name: 'Service', grantTypes: ['client_credentials'], scope: API_SCOPE });
    const web = await admin.clients.create({
      tenant: TENANT,
      name: 'Web',
      firstParty: true,
      redirectUris: [REDIRECT_URI],
      grantTypes: ['authorization_code', 'refresh_token'],
      scope: `openid profile email offline_access ${API_SCOPE}`,
    });
    return {
      service: { id: service.client.clientId, secret: service.clientSecret },
      web: { id: web.client.clientId, secret: web.clientSecret },
    };
  } finally {
    await infrastructure.close();
  }
}

/**
 * BENCH_AUTH_CPU_PROF=<dir> runs the serving app under `node --cpu-prof`, BENCH_WORKER_CPU_PROF=<dir> the
 * audit worker, their profiles written there (summarize with seed/cpu-profile.mjs).
 */
function profileArgs(name) {
  const dir = name === 'worker' ? process.env.BENCH_WORKER_CPU_PROF : process.env.BENCH_AUTH_CPU_PROF;
  return dir && (name === 'authorization' || name === 'standalone' || name === 'worker') ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/**
 * Starts Gatehouse for a scenario. `layout`: 'separate' (authorization, admin, worker processes on
 * PostgreSQL + Redis, seeded) or 'standalone' (`npm start`'s entry point; with `embedded: true` on
 * PGlite in a scratch DATA_DIR, no DATABASE_URL or REDIS_URL, as a developer runs it, unseeded).
 */
export async function startGatehouse(
  ctx,
  {
    layout = 'separate',
    embedded = false,
    rateLimits = !limitsOff(),
    tracing = process.env.BENCH_TRACING === 'on',
    variant,
    browserUsers = 0,
  } = {},
) {
  const database = embedded ? undefined : await createDatabase(ctx.databaseUrl, layout);
  const { env, ports, dataDir } = await environment(ctx, { databaseUrl: database?.url, production: !embedded, rateLimits, tracing });
  const processes = [];
  const stop = async () => {
    unregister();
    await Promise.allSettled(processes.map(stopProcess));
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const unregister = onInterrupt(stop);
  try {
    let clients = {};
    if (database) {
      await emptyRedis(ctx.redisUrl);
      await migrate(ctx.root, database.url);
      clients = await seed(ctx.root, env, { browserUsers });
    }
    const names = layout === 'separate' ? ['authorization', 'admin', 'worker'] : ['standalone'];
    for (const name of names)
      processes.push(
        // `npm start` runs the all-in-one entry point with --liftoff-only (docs/adr/0006): so does the benchmark.
        spawnNode(`gatehouse ${name}`, join(ctx.root, APPS[name]), tracedOnlyIfListed(name, env), {
          cwd: ctx.root,
          nodeArgs: [...(name === 'standalone' ? ['--liftoff-only'] : []), ...profileArgs(name)],
        }),
      );
    const ready = { authorization: ports.authorization, admin: ports.admin, worker: ports.worker };
    const byName = Object.fromEntries(processes.map((p, i) => [names[i], p]));
    await Promise.all(
      Object.entries(ready).map(([app, port]) => waitForReady(byName[app] ?? byName.standalone, `http://127.0.0.1:${port}/health/ready`)),
    );
    const issuer = `${env.PUBLIC_URL}/t/${TENANT}`;
    const target = {
      key: variant?.key ?? (rateLimits ? 'gatehouse' : 'gatehouse-limits-off'),
      label: `${layout === 'separate' ? 'Gatehouse' : 'Gatehouse (npm start)'}${rateLimits ? '' : ' (rate limits off)'}${tracing && !variant ? ' (tracing on)' : ''}${variant?.label ?? ''}`,
      issuer,
      endpoints: {
        token: `${issuer}/token`,
        introspection: `${issuer}/introspect`,
        userinfo: `${issuer}/userinfo`,
        jwks: `${issuer}/jwks`,
        discovery: `${issuer}/.well-known/openid-configuration`,
        authorize: `${issuer}/authorize`,
      },
      ...clients,
      processes: byName,
      servingPid: (byName.authorization ?? byName.standalone).pid,
      // The machine's PostgreSQL runs with autovacuum off (its CI configuration), so nothing would analyze the
      // tables the load grows and the planner would keep planning for the empty ones: each measured run starts
      // from the statistics autovacuum keeps current on a production server.
      beforeRun: database ? () => analyze(database.url) : undefined,
      stop,
    };
    target.signIn = (http) => signInThroughPages(http, target);
    return target;
  } catch (error) {
    await stop();
    throw error;
  }
}
