import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeJwt } from 'jose';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { createAuthorizationApp } from '../../../authorization/src/index.js';
import { bootstrapPlatform, createAdminApp, createAdminServices, type AdminServices } from '../../src/index.js';
import { createScratchPostgres, freePort, readForm, TestBrowser, testConfig, uniqueSlug } from '../../../../test/support/index.js';

const PASSWORD = 'correct horse battery staple';
const ADMIN_API = 'urn:gatehouse:admin';
const CONSOLE = 'admin-console';
const quiet = () => new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined });

interface Tokens {
  readonly access_token: string;
  readonly refresh_token?: string;
}

/**
 * A human administrator signs in through the `admin-console` client (authorization code +
 * PKCE, resource=urn:gatehouse:admin) and calls the admin API with the token it gets.
 * The suite owns a scratch database: the console's redirect URIs follow PUBLIC_URL, and
 * other suites bootstrap the shared database with other PUBLIC_URLs.
 */
describe(
  'admin-console login: admin roles in tokens from real logins',
  { skip: process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL' },
  () => {
    let scratch: { url: string; drop(): Promise<void> };
    let infrastructure: Infrastructure;
    let services: AdminServices;
    let authorization: NestFastifyApplication;
    let admin: NestFastifyApplication;
    let origin: string;
    let adminBase: string;
    const tenantA = uniqueSlug('con-a');
    const tenantB = uniqueSlug('con-b');
    const callback = () => `${origin}/console/callback`;

    before(async () => {
      scratch = await createScratchPostgres();
      origin = `http://127.0.0.1:${await freePort()}`;
      const config = testConfig({ PUBLIC_URL: origin, DATABASE_URL: scratch.url, ADMIN_USERNAME: 'root', ADMIN_PASSWORD: PASSWORD });
      infrastructure = await openInfrastructure(config);
      services = await createAdminServices(config, infrastructure.persistence, infrastructure.redis);
      await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users);
      await services.tenants.create(tenantA);
      await services.tenants.create(tenantB);
      await services.users.create({ tenant: 'system', username: 'ada', password: PASSWORD, roles: [`tenant_admin:${tenantA}`] });
      await services.users.create({ tenant: 'system', username: 'nobody', password: PASSWORD });
      authorization = await createAuthorizationApp(config, infrastructure, quiet());
      await listen(authorization, '127.0.0.1', Number(new URL(origin).port));
      admin = await createAdminApp(config, infrastructure, quiet());
      adminBase = `${await listen(admin, '127.0.0.1', 0)}/admin/v1`;
    });
    after(async () => {
      await authorization?.close();
      await admin?.close();
      await infrastructure?.close();
      await scratch?.drop();
    });

    /** Login form, consent if asked, until the browser is sent to the redirect URI; returns the code. */
    async function authorize(tenant: string, clientId: string, redirectUri: string, username: string, resource: string | null) {
      const verifier = randomBytes(32).toString('base64url');
      const state = randomBytes(16).toString('base64url');
      const url = new URL(`${origin}/t/${tenant}/authorize`);
      url.search = new URLSearchParams({
        client_id: clientId,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'openid profile offline_access admin',
        state,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
        ...(resource ? { resource } : {}),
      }).toString();
      const browser = new TestBrowser();
      // Only the authorization server's pages are followed: /console/callback is on the same origin.
      const pages = `${origin}/t/`;
      let step = await browser.follow(await browser.get(url.toString()), pages);
      for (let i = 0; i < 4 && step.url.startsWith(pages); i++) {
        const form = readForm(await step.response.text(), step.url);
        const fields: Record<string, string> = form.action.endsWith('/login') ? { username, password: PASSWORD } : { decision: 'allow' };
        step = await browser.follow(await browser.postForm(form.action, { ...form.hidden, ...fields }), pages);
      }
      assert.ok(step.url.startsWith(`${redirectUri}?`), `landed at ${step.url}`);
      const landed = new URL(step.url).searchParams;
      assert.equal(landed.get('state'), state);
      return { code: landed.get('code') ?? '', verifier };
    }

    async function token(tenant: string, form: Record<string, string>): Promise<Tokens> {
      const response = await fetch(`${origin}/t/${tenant}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      const body = (await response.json()) as Tokens;
      assert.equal(response.status, 200, JSON.stringify(body));
      return body;
    }

    async function consoleLogin(username: string, resource: string | null = ADMIN_API): Promise<Tokens> {
      const { code, verifier } = await authorize('system', CONSOLE, callback(), username, resource);
      return token('system', {
        grant_type: 'authorization_code',
        client_id: CONSOLE,
        code,
        redirect_uri: callback(),
        code_verifier: verifier,
      });
    }

    async function status(path: string, accessToken: string): Promise<number> {
      return (await fetch(`${adminBase}${path}`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
    }

    async function setRoles(username: string, roles: string[]): Promise<void> {
      await infrastructure.database.dataSource.query(
        `UPDATE users SET roles = $1 WHERE username = $2 AND tenant_id = (SELECT id FROM tenants WHERE slug = 'system')`,
        [roles, username],
      );
    }

    it('the bootstrap registered admin-console: a first-party public client redirecting under PUBLIC_URL', async () => {
      const system = await infrastructure.persistence.repositories.tenants.findBySlug('system');
      const client = await infrastructure.persistence.repositories.clients.findByClientId(system?.id ?? ('' as never), CONSOLE);
      assert.ok(client);
      assert.equal(client.tokenEndpointAuthMethod, 'none');
      assert.equal(client.secretHash, null);
      assert.equal(client.firstParty, true);
      assert.deepEqual(client.grantTypes, ['authorization_code', 'refresh_token']);
      assert.deepEqual(client.scopes, ['openid', 'profile', 'email', 'offline_access', 'admin']);
      assert.deepEqual(client.redirectUris, [callback()]);
      assert.deepEqual(client.postLogoutRedirectUris, [`${origin}/console/`]);
      assert.equal(client.adminConsole, true, 'the one client admin-API tokens are issued to');
    });

    it('a tenant admin of A signs in: the token carries the role; A is 200, B is 404, the tenant list is 403', async () => {
      const tokens = await consoleLogin('ada');
      const claims = decodeJwt(tokens.access_token);
      assert.equal(claims.aud, ADMIN_API);
      assert.equal(claims['client_id'], CONSOLE);
      assert.deepEqual(claims['gatehouse_roles'], [`tenant_admin:${tenantA}`]);
      assert.equal(await status(`/tenants/${tenantA}/clients`, tokens.access_token), 200);
      assert.equal(await status(`/tenants/${tenantB}/clients`, tokens.access_token), 404);
      assert.equal(await status('/tenants', tokens.access_token), 403);
    });

    it('the bootstrap platform admin signs in and lists tenants', async () => {
      const tokens = await consoleLogin('root');
      assert.deepEqual(decodeJwt(tokens.access_token)['gatehouse_roles'], ['platform_admin']);
      const response = await fetch(`${adminBase}/tenants?limit=100`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(response.status, 200);
      const slugs = ((await response.json()) as { items: { slug: string }[] }).items.map((t) => t.slug);
      assert.ok(slugs.includes(tenantA) && slugs.includes(tenantB) && slugs.includes('system'));
    });

    it('a system user without roles gets no roles claim and a 403 from the admin API', async () => {
      const tokens = await consoleLogin('nobody');
      const claims = decodeJwt(tokens.access_token);
      assert.equal(claims.aud, ADMIN_API);
      assert.equal('gatehouse_roles' in claims, false);
      assert.equal(await status('/tenants', tokens.access_token), 403);
      assert.equal(await status(`/tenants/${tenantA}/clients`, tokens.access_token), 404);
    });

    it('roles are read at issuance: a refresh after the role was removed yields a token without it', async () => {
      const username = 'grace';
      await services.users.create({ tenant: 'system', username, password: PASSWORD, roles: [`tenant_admin:${tenantA}`] });
      const first = await consoleLogin(username);
      assert.deepEqual(decodeJwt(first.access_token)['gatehouse_roles'], [`tenant_admin:${tenantA}`]);
      assert.ok(first.refresh_token, 'offline_access gives the console a refresh token');

      await setRoles(username, []);
      const refreshed = await token('system', { grant_type: 'refresh_token', client_id: CONSOLE, refresh_token: first.refresh_token });
      const claims = decodeJwt(refreshed.access_token);
      assert.equal(claims.aud, ADMIN_API);
      assert.equal('gatehouse_roles' in claims, false);
      assert.equal(await status(`/tenants/${tenantA}/clients`, refreshed.access_token), 404);

      // And a role granted since is picked up by the next refresh, dropping unknown strings.
      await setRoles(username, [`security_analyst:${tenantB}`, 'root', 'tenant_admin:']);
      const again = await token('system', {
        grant_type: 'refresh_token',
        client_id: CONSOLE,
        refresh_token: refreshed.refresh_token ?? '',
      });
      assert.deepEqual(decodeJwt(again.access_token)['gatehouse_roles'], [`security_analyst:${tenantB}`]);
    });

    it('the same user signing in without the admin resource gets a token with no roles claim, refused by the admin API', async () => {
      const tokens = await consoleLogin('ada', null);
      const claims = decodeJwt(tokens.access_token);
      assert.equal(claims.aud, `${origin}/t/system`);
      assert.equal('gatehouse_roles' in claims, false);
      assert.equal(await status(`/tenants/${tenantA}/clients`, tokens.access_token), 401);
    });

    it('a client_credentials client of the system tenant gets no token for the admin API (issue 10: only the admin console does)', async () => {
      const { client, clientSecret } = await services.clients.create({
        tenant: 'system',
        name: 'Script',
        grantTypes: ['client_credentials'],
        scope: 'admin',
      });
      const basic = Buffer.from(`${client.clientId}:${clientSecret ?? ''}`).toString('base64');
      const response = await fetch(`${origin}/t/system/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource: ADMIN_API, scope: 'admin' }).toString(),
      });
      assert.equal(response.status, 400);
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body['error'], 'invalid_target');
      assert.equal(body['access_token'], undefined);
    });

    it('a user of another tenant with a forged roles column, even for an API named urn:gatehouse:admin there, gets no claim', async () => {
      const evil = uniqueSlug('con-evil');
      const redirectUri = 'https://evil.example.test/cb';
      await services.tenants.create(evil);
      await services.apis.create({ tenant: evil, identifier: ADMIN_API, scope: 'admin', name: 'Look-alike admin API' });
      await services.users.create({
        tenant: evil,
        username: 'mallory',
        password: PASSWORD,
        roles: ['platform_admin', `tenant_admin:${tenantA}`],
      });
      const { client } = await services.clients.create({
        tenant: evil,
        name: 'Evil',
        public: true,
        redirectUris: [redirectUri],
        scope: 'openid admin',
      });

      const { code, verifier } = await authorize(evil, client.clientId, redirectUri, 'mallory', ADMIN_API);
      const tokens = await token(evil, {
        grant_type: 'authorization_code',
        client_id: client.clientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      });
      const claims = decodeJwt(tokens.access_token);
      assert.equal(claims.aud, ADMIN_API);
      assert.equal('gatehouse_roles' in claims, false);
      // Nor would the admin API take it: it trusts the system tenant's issuer only.
      assert.equal(await status('/tenants', tokens.access_token), 401);
    });
  },
);
