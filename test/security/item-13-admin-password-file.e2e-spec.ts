import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { verifyPassword } from '@gatehouse/tokens';
import { announceBootstrap, bootstrapPlatform, createAdminServices } from '../../apps/admin/src/index.js';
import { createAuthorizationApp } from '../../apps/authorization/src/index.js';
import {
  createScratchPostgres,
  ENTRY_POINTS,
  freePort,
  processEnv,
  readForm,
  scratchDataDir,
  startProcess,
  testConfig,
  TestBrowser,
  type RunningProcess,
} from '../support/index.js';

const CONSOLE = 'admin-console';
const ADMIN_API = 'urn:gatehouse:admin';

/**
 * Signs `username` in to the admin console with `password` over HTTP (authorization code +
 * PKCE) and returns the admin API access token: proof that the password is the admin's.
 */
async function consoleLogin(origin: string, username: string, password: string): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const callback = `${origin}/console/callback`;
  const url = new URL(`${origin}/t/system/authorize`);
  url.search = new URLSearchParams({
    client_id: CONSOLE,
    response_type: 'code',
    redirect_uri: callback,
    scope: 'openid admin',
    state: 'xyz',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    resource: ADMIN_API,
  }).toString();
  const browser = new TestBrowser();
  const pages = `${origin}/t/`;
  let step = await browser.follow(await browser.get(url.toString()), pages);
  for (let i = 0; i < 4 && step.url.startsWith(pages); i++) {
    const form = readForm(await step.response.text(), step.url);
    const fields: Record<string, string> = form.action.endsWith('/login') ? { username, password } : { decision: 'allow' };
    step = await browser.follow(await browser.postForm(form.action, { ...form.hidden, ...fields }), pages);
  }
  assert.ok(step.url.startsWith(`${callback}?`), `the sign-in did not succeed: landed at ${step.url}`);
  const response = await fetch(`${origin}/t/system/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: CONSOLE,
      code: new URL(step.url).searchParams.get('code') ?? '',
      redirect_uri: callback,
      code_verifier: verifier,
    }).toString(),
  });
  const body = (await response.json()) as Record<string, unknown>;
  assert.equal(response.status, 200, JSON.stringify(body));
  return String(body['access_token']);
}

/**
 * Issue 10 item 13: the generated platform admin password never goes to stdout (container log
 * drivers keep it): it is written to DATA_DIR/admin-password (0600) and only the path is
 * printed; ADMIN_PASSWORD_FILE supplies it from a secrets mount; both variables at once is a
 * configuration error naming both.
 */
describe('item 13: the platform admin password is not printed', () => {
  let running: RunningProcess | undefined;
  let infrastructure: Infrastructure | undefined;
  let app: NestFastifyApplication | undefined;
  let scratch: { drop(): Promise<void> } | undefined;
  after(async () => {
    await running?.stop();
    await app?.close();
    await infrastructure?.close();
    await scratch?.drop();
  });

  it('first start: stdout names the 0600 file in DATA_DIR, never the password, and the password in it signs the admin in', async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    // The embedded database with no platform in it yet: without services, a copy of the run's migrated
    // cluster (test/support/environments.ts); creating the cluster itself is first-run.e2e-spec's subject.
    const env = processEnv({
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      KEY_ENCRYPTION_KEY: undefined,
      PUBLIC_URL: origin,
      AUTHORIZATION_PORT: String(port),
      ADMIN_USERNAME: 'root',
    });
    running = startProcess(ENTRY_POINTS.standalone, env);
    await running.waitFor(/Gatehouse is running/, 120_000);
    const output = running.output();
    const file = join(env['DATA_DIR'] ?? '', 'admin-password');
    assert.ok(output.includes(`password file: ${file}`), output);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'readable only by the service user');
    const password = readFileSync(file, 'utf8').trim();
    assert.match(password, /^\S{20,}$/);
    assert.equal(output.includes(password), false, 'the password is not on stdout or stderr');

    const adminUrl = output.match(/Admin API\s+(http:\/\/\S+)/)?.[1];
    assert.ok(adminUrl, output);
    const accessToken = await consoleLogin(origin, 'root', password);
    const tenants = await fetch(`${adminUrl}/admin/v1/tenants`, { headers: { authorization: `Bearer ${accessToken}` } });
    await tenants.body?.cancel();
    assert.equal(tenants.status, 200, 'the password from the file is the platform admin');
    assert.equal(await running.stop(), 0);
    running = undefined;
  });

  it('ADMIN_PASSWORD_FILE (a secrets mount) supplies the password: no file is generated and nothing is announced', async () => {
    const secrets = scratchDataDir('gh-secrets-');
    const mounted = join(secrets, 'admin_password');
    writeFileSync(mounted, 'a mounted secret passphrase\n', { mode: 0o400 });
    // A database of its own, so the bootstrap runs on an empty one: scratch PostgreSQL, or PGlite in a scratch DATA_DIR.
    const created = process.env['DATABASE_URL'] ? await createScratchPostgres() : null;
    scratch = created ?? undefined;
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const config = testConfig({ PUBLIC_URL: origin, DATABASE_URL: created?.url, ADMIN_USERNAME: 'root', ADMIN_PASSWORD_FILE: mounted });
    infrastructure = await openInfrastructure(config);
    const services = await createAdminServices(config, infrastructure.persistence, infrastructure.redis);
    const result = await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users);
    let announced = '';
    announceBootstrap(result, (text) => (announced += text));
    assert.equal(announced, '', 'nothing to announce');
    assert.equal(existsSync(join(config.dataDir, 'admin-password')), false);

    app = await createAuthorizationApp(
      config,
      infrastructure,
      new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }),
    );
    await listen(app, '127.0.0.1', port);
    assert.ok(await consoleLogin(origin, 'root', 'a mounted secret passphrase'), 'the mounted password signs the admin in');
  });

  it('starts racing on a new deployment: one admin, one password file holding the password that was set, nothing pending left', async () => {
    const created = process.env['DATABASE_URL'] ? await createScratchPostgres() : null;
    const config = testConfig({ DATABASE_URL: created?.url, ADMIN_USERNAME: 'root' });
    const racing = await openInfrastructure(config);
    try {
      const services = await createAdminServices(config, racing.persistence, racing.redis);
      const results = await Promise.allSettled(
        [1, 2, 3].map(() => bootstrapPlatform(config, racing.persistence, services.tenants, services.users)),
      );
      const admins = results.filter((result) => result.status === 'fulfilled' && result.value.createdAdmin !== null);
      assert.equal(admins.length, 1, 'exactly one start created the admin');
      assert.deepEqual(
        readdirSync(config.dataDir).filter((name) => name.startsWith('admin-password')),
        ['admin-password'],
        'no pending or temporary password file is left behind',
      );
      const password = readFileSync(join(config.dataDir, 'admin-password'), 'utf8').trim();
      const system = await racing.persistence.repositories.tenants.findBySlug('system');
      assert.ok(system);
      const stored = await racing.persistence.repositories.users.findPasswordHash(system.id, 'root');
      assert.ok(stored && (await verifyPassword(stored.passwordHash, password)), 'the file holds the password that was set');
    } finally {
      await racing.close();
      await created?.drop();
    }
  });

  it('ADMIN_PASSWORD and ADMIN_PASSWORD_FILE together: the process stops with a configuration error naming both', async () => {
    const secrets = scratchDataDir('gh-secrets-');
    const mounted = join(secrets, 'admin_password');
    writeFileSync(mounted, 'a mounted secret passphrase\n', { mode: 0o400 });
    const env = processEnv({ ADMIN_PASSWORD: 'another long passphrase', ADMIN_PASSWORD_FILE: mounted }, { embedded: true });
    const process = startProcess(ENTRY_POINTS.standalone, env);
    assert.equal(await process.exited, 1);
    assert.equal(process.output(), 'Configuration error: ADMIN_PASSWORD, ADMIN_PASSWORD_FILE: set one or the other, not both\n');
    assert.equal(existsSync(join(env['DATA_DIR'] ?? '', 'admin-password')), false);
  });
});
