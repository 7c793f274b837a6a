import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  assertHealthShape,
  checkNamed,
  ENTRY_POINTS,
  processEnv,
  runCliProcess as runCli,
  startProcess,
  type RunningProcess,
} from '../support/index.js';

/**
 * The README promise on the embedded defaults: start, create a tenant, a user and
 * a client with the CLI while the platform runs, restart, and find them still there.
 */
describe('first run on the embedded defaults', () => {
  const SERVER_PUBLIC_URL = 'http://127.0.0.1:47999';
  const env = processEnv({ DATABASE_URL: undefined, REDIS_URL: undefined, PUBLIC_URL: SERVER_PUBLIC_URL }, { embedded: true });
  let running: RunningProcess | undefined;
  after(async () => {
    await running?.stop();
  });

  async function start(): Promise<{ authorization: string; admin: string; worker: string }> {
    running = startProcess(ENTRY_POINTS.standalone, env);
    // A first start unpacks the embedded cluster: slow on a busy CI machine.
    await running.waitFor(/Gatehouse is running/, 120_000);
    const text = running.output();
    const url = (label: string) =>
      text.match(new RegExp(`${label}\\s+(http://[^\\s]+)`))?.[1] ?? assert.fail(`no ${label} URL in:\n${text}`);
    return {
      // The banner names PUBLIC_URL first (what clients use); the bound address follows it.
      authorization: text.match(/Authorization server .*listening on (http:\/\/[^\s;)]+)/)?.[1] ?? assert.fail(`no bound URL in:\n${text}`),
      admin: url('Admin API'),
      worker: url('Audit worker health').replace(/\/health\/ready$/, ''),
    };
  }

  it('starts all three apps in one process, prints their URLs and where the generated admin password is, never the password', async () => {
    const urls = await start();
    const output = running?.output() ?? '';
    assert.match(output, /Database: embedded PGlite/);
    assert.match(output, /embedded database serves one process only/);
    // Issue 18: the issuer base clients must use, then the first steps.
    assert.match(output, /Authorization server {2}https?:\/\/\S+ {3}\(listening on http:\/\/[^;]+; issuers: \S+\/t\/\{tenant\}\)/);
    assert.match(output, /API reference and "Try it out": +http:\/\/\S+\/docs/);
    assert.match(output, /An admin API token: +npm run -s gatehouse -- admin token/);
    // Issue 10 item 13: stdout goes to container logs; the password goes to a 0600 file in DATA_DIR.
    const passwordFile = join(env['DATA_DIR'] ?? '', 'admin-password');
    assert.ok(output.includes(`password file: ${passwordFile}`), output);
    const password = readFileSync(passwordFile, 'utf8').trim();
    assert.match(password, /^\S{20,}$/);
    assert.equal(output.includes(password), false, 'the password is not on stdout');
    assert.equal(statSync(passwordFile).mode & 0o777, 0o600);
    for (const base of Object.values(urls)) {
      const ready = await fetch(`${base}/health/ready`);
      assert.equal(ready.status, 200, base);
      const body: unknown = await ready.json();
      assertHealthShape(body);
      // A fresh platform: the system tenant has its keys, no sink fails, no Redis is configured.
      assert.equal(body.status, 'healthy', JSON.stringify(body));
      assert.equal(checkNamed(body, 'redis'), undefined);
      const live: unknown = await (await fetch(`${base}/health/live`)).json();
      assertHealthShape(live);
    }
  });

  it('the CLI works against the running platform, with its PUBLIC_URL even when the CLI is not given it', async () => {
    // Issue 18: the server recorded its settings in DATA_DIR; a CLI run without PUBLIC_URL takes them from there.
    const { PUBLIC_URL: _serverOnly, ...cliEnv } = env;
    const tenant = await runCli(['tenant', 'create', 'first-run', '--name', 'First Run', '--json'], cliEnv);
    assert.equal(tenant.code, 0, tenant.stderr);
    assert.equal((JSON.parse(tenant.stdout) as { issuer: string }).issuer, `${SERVER_PUBLIC_URL}/t/first-run`);
    const user = await runCli(
      ['user', 'create', '--tenant', 'first-run', '--username', 'fran', '--password-stdin', '--json'],
      env,
      'a long enough passphrase\n',
    );
    assert.equal(user.code, 0, user.stderr);
    const client = await runCli(
      ['client', 'create', '--tenant', 'first-run', '--name', 'Web', '--redirect-uri', 'https://app.example.com/cb', '--json'],
      env,
    );
    assert.equal(client.code, 0, client.stderr);
  });

  it('stops cleanly and finds everything after a restart, without a second admin password', async () => {
    assert.equal(await running?.stop(), 0);
    await start();
    assert.doesNotMatch(running?.output() ?? '', /password/);
    const list = await runCli(['tenant', 'list', '--json'], env);
    const { tenants } = JSON.parse(list.stdout) as { tenants: { slug: string }[] };
    assert.deepEqual(tenants.map((t) => t.slug).sort(), ['first-run', 'system']);
    const duplicate = await runCli(
      ['user', 'create', '--tenant', 'first-run', '--username', 'fran', '--password-stdin'],
      env,
      'another long passphrase',
    );
    assert.match(duplicate.stderr, /already exists/, 'the user survived the restart');
  });
});

describe('start-up with a bad configuration', () => {
  it('stops with one line naming the variable and no stack trace', async () => {
    const process = startProcess(ENTRY_POINTS.standalone, processEnv({ ADMIN_PORT: 'eighty', LOG_LEVEL: 'chatty' }, { embedded: true }));
    assert.equal(await process.exited, 1);
    assert.equal(
      process.output(),
      'Configuration error: ADMIN_PORT: must be a port number (0-65535); leave it unset for the default\nConfiguration error: LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"\n',
    );
  });

  it('refuses an empty port instead of taking a random one', async () => {
    const process = startProcess(ENTRY_POINTS.standalone, processEnv({ AUTHORIZATION_PORT: '' }, { embedded: true }));
    assert.equal(await process.exited, 1);
    assert.match(process.output(), /^Configuration error: AUTHORIZATION_PORT: must be a port number/m);
  });

  it('names DATABASE_URL when PostgreSQL cannot be reached, without the password in the URL', async () => {
    const unreachable = await closedPort();
    const process = startProcess(
      ENTRY_POINTS.authorization,
      processEnv({ DATABASE_URL: `postgres://gatehouse:s3cret-pw@127.0.0.1:${unreachable}/gatehouse`, LOG_FORMAT: 'json' }),
    );
    assert.equal(await process.exited, 1);
    const output = process.output();
    assert.match(
      output,
      new RegExp(`DATABASE_URL: cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${unreachable}/gatehouse \\(ECONNREFUSED\\)`),
    );
    assert.doesNotMatch(output, /s3cret-pw/);
    assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  });

  it('names REDIS_URL when Redis cannot be reached', async () => {
    const unreachable = await closedPort();
    const process = startProcess(
      ENTRY_POINTS.authorization,
      processEnv({ REDIS_URL: `redis://:redis-pw@127.0.0.1:${unreachable}`, LOG_FORMAT: 'json' }),
    );
    assert.equal(await process.exited, 1);
    assert.match(process.output(), new RegExp(`REDIS_URL: cannot connect to Redis at 127\\.0\\.0\\.1:${unreachable}`));
    assert.doesNotMatch(process.output(), /redis-pw/);
  });

  it('names the port variable when the port is in use', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const process = startProcess(
        ENTRY_POINTS.authorization,
        processEnv({ AUTHORIZATION_PORT: String(port), LISTEN_HOST: '127.0.0.1', LOG_FORMAT: 'json' }),
      );
      assert.equal(await process.exited, 1);
      assert.match(process.output(), new RegExp(`AUTHORIZATION_PORT: port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      holder.close();
    }
  });
});

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
