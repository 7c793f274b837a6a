import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { bootstrapPlatform, createAdminApp } from '../../src/index.js';
import { startAuthorizationServer, TestBrowser, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { signIn } from '../../../authorization/test/flow/code-flow.fixture.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'https://client.example.test/callback';
const ORDERS = 'https://orders.example.test';

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

interface AdminEvent {
  xmin: string;
  actor: string;
  action: string;
  target: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/**
 * Tenant settings and APIs through the admin API over HTTP, with their effect on the
 * authorization app (token signing algorithm, consent page, disabled issuer) on the same database.
 */
describe('admin API: tenant settings and APIs', () => {
  let server: RunningAuthorizationServer;
  let app: NestFastifyApplication;
  let base: string;
  let platform: string;
  let adminOfA: string;
  let adminOfB: string;
  const tenantA = uniqueSlug('ta-a');
  const tenantB = uniqueSlug('ta-b');

  before(async () => {
    server = await startAuthorizationServer();
    const { admin, config, infrastructure } = server;
    await bootstrapPlatform(config, infrastructure.persistence, admin.tenants, admin.users);
    await admin.tenants.create(tenantA);
    await admin.tenants.create(tenantB);
    app = await createAdminApp(config, infrastructure, new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }));
    base = `${await listen(app, '127.0.0.1', 0)}/admin/v1`;
    platform = (await admin.adminTokens.mint({})).accessToken;
    adminOfA = (await admin.adminTokens.mint({ tenant: tenantA })).accessToken;
    adminOfB = (await admin.adminTokens.mint({ tenant: tenantB })).accessToken;
  });
  after(async () => {
    await app?.close();
    await server?.close();
  });

  async function call(method: string, path: string, token: string, body?: unknown, ifMatch?: string | null): Promise<Reply> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (ifMatch) headers['if-match'] = ifMatch;
    const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
  }

  /** GET, then PATCH with the ETag just read. */
  async function patchTenant(slug: string, body: unknown, token = platform): Promise<Reply> {
    const etag = (await call('GET', `/tenants/${slug}`, token)).headers.get('etag');
    return call('PATCH', `/tenants/${slug}`, token, body, etag);
  }

  async function createTenant(prefix: string): Promise<string> {
    const slug = uniqueSlug(prefix);
    assert.equal((await call('POST', '/tenants', platform, { slug })).status, 201);
    return slug;
  }

  function query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    return server.infrastructure.database.dataSource.query<T[]>(sql, parameters);
  }

  /** The tenant's admin change events, oldest first, with the id of the transaction that wrote each. */
  async function adminEvents(slug: string): Promise<AdminEvent[]> {
    const rows = await query<{ xmin: string; payload: { details: Omit<AdminEvent, 'xmin'> } }>(
      `SELECT o.xmin::text AS xmin, o.payload FROM audit_outbox o JOIN tenants t ON t.id = o.tenant_id
       WHERE t.slug = $1 AND o.type = 'admin.change' ORDER BY o.occurred_at, o.id`,
      [slug],
    );
    return rows.map((row) => ({ xmin: row.xmin, ...row.payload.details }));
  }

  async function rowTransaction(table: 'tenants' | 'apis' | 'registration_tokens' | 'signing_keys', column: string, value: string) {
    const [row] = await query<{ xmin: string }>(`SELECT xmin::text AS xmin FROM ${table} WHERE ${column} = $1`, [value]);
    assert.ok(row, `${table} row ${value}`);
    return row.xmin;
  }

  async function storedTenant(slug: string) {
    const tenant = await server.infrastructure.persistence.repositories.tenants.findBySlug(slug);
    assert.ok(tenant);
    return tenant;
  }

  describe('tenant settings', () => {
    it('GET and the list show every setting, with the effective policies (defaults merged)', async () => {
      const read = await call('GET', `/tenants/${tenantA}`, adminOfA);
      assert.equal(read.status, 200);
      assert.equal(read.body['access_token_alg'], 'ES256');
      assert.equal(read.body['consent_policy'], 'skip_first_party');
      assert.equal(read.body['web_loopback_redirects'], true);
      assert.equal((read.body['risk_policy'] as Record<string, number>)['geo_anomaly_points'], 30);
      assert.equal((read.body['rate_limit_policy'] as Record<string, number>)['lockout_threshold'], 10);
      const listed = await call('GET', '/tenants?limit=5', platform);
      const first = (listed.body['items'] as Record<string, unknown>[])[0];
      assert.deepEqual(read.body['mfa_policy'], { second_factor: 'when_enrolled', step_up_without_factor: 'refuse' });
      for (const field of [
        'access_token_alg',
        'consent_policy',
        'web_loopback_redirects',
        'risk_policy',
        'rate_limit_policy',
        'mfa_policy',
      ])
        assert.ok(first && field in first, field);
    });

    it('audit retention is a tenant setting, in days', async () => {
      assert.equal((await call('GET', `/tenants/${tenantA}`, platform)).body['audit_retention_days'], 365);
      const updated = await patchTenant(tenantA, { audit_retention_days: 30 });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body['audit_retention_days'], 30);
      assert.equal((await storedTenant(tenantA)).auditRetentionDays, 30);
      for (const bad of [0, 1.5, 40_000, '30']) {
        const refused = await patchTenant(tenantA, { audit_retention_days: bad });
        assert.equal(refused.status, 400, String(bad));
        assert.equal((refused.body['errors'] as { field: string }[] | undefined)?.[0]?.field, 'audit_retention_days');
      }
      assert.equal((await storedTenant(tenantA)).auditRetentionDays, 30);
    });

    it('passkey_login: second_factor by default, passwordless on request, anything else refused (docs/adr/0010)', async () => {
      assert.equal((await call('GET', `/tenants/${tenantA}`, platform)).body['passkey_login'], 'second_factor');
      const updated = await patchTenant(tenantA, { passkey_login: 'passwordless' });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body['passkey_login'], 'passwordless');
      assert.equal((await storedTenant(tenantA)).passkeyLogin, 'passwordless');
      for (const bad of ['always', true, 1]) {
        const refused = await patchTenant(tenantA, { passkey_login: bad });
        assert.equal(refused.status, 400, String(bad));
        assert.equal((refused.body['errors'] as { field: string }[] | undefined)?.[0]?.field, 'passkey_login');
      }
      assert.equal((await patchTenant(tenantA, { passkey_login: 'second_factor' })).status, 200);
      assert.equal((await storedTenant(tenantA)).passkeyLogin, 'second_factor');
    });

    it('pushed authorization requests and request objects: off by default, switched per tenant, PAR lifetime bounded', async () => {
      const read = await call('GET', `/tenants/${tenantA}`, platform);
      assert.equal(read.body['pushed_authorization_requests'], 'disabled');
      assert.equal(read.body['request_objects'], 'disabled');
      assert.equal(read.body['par_lifetime_seconds'], 60);
      const updated = await patchTenant(tenantA, {
        pushed_authorization_requests: 'required',
        request_objects: 'enabled',
        par_lifetime_seconds: 90,
      });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body['pushed_authorization_requests'], 'required');
      assert.equal(updated.body['request_objects'], 'enabled');
      assert.equal(updated.body['par_lifetime_seconds'], 90);
      for (const [body, field] of [
        [{ pushed_authorization_requests: 'always' }, 'pushed_authorization_requests'],
        [{ request_objects: true }, 'request_objects'],
        [{ par_lifetime_seconds: 5 }, 'par_lifetime_seconds'],
        [{ par_lifetime_seconds: 601 }, 'par_lifetime_seconds'],
      ] as const) {
        const refused = await patchTenant(tenantA, body);
        assert.equal(refused.status, 400, JSON.stringify(body));
        assert.equal((refused.body['errors'] as { field: string }[] | undefined)?.[0]?.field, field);
      }
      const reset = await patchTenant(tenantA, {
        pushed_authorization_requests: 'disabled',
        request_objects: 'disabled',
        par_lifetime_seconds: 60,
      });
      assert.equal(reset.status, 200);
      assert.equal((await storedTenant(tenantA)).pushedAuthorizationRequests, 'disabled');
    });

    it('security_profile: none by default, fapi2 on create or PATCH and back, RS256 refused, audited (docs/adr/0020)', async () => {
      const slug = await createTenant('sp');
      assert.equal((await call('GET', `/tenants/${slug}`, platform)).body['security_profile'], 'none');
      const on = await patchTenant(slug, { security_profile: 'fapi2' });
      assert.equal(on.status, 200, JSON.stringify(on.body));
      assert.equal(on.body['security_profile'], 'fapi2');
      assert.equal(on.body['pushed_authorization_requests'], 'disabled', 'the stored settings are not rewritten');
      const metadata = (await (await fetch(`${server.issuer(slug)}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      assert.equal(metadata['require_pushed_authorization_requests'], true);
      for (const [body, field] of [
        [{ security_profile: 'fapi1' }, 'security_profile'],
        [{ access_token_alg: 'RS256' }, 'access_token_alg'],
      ] as const) {
        const refused = await patchTenant(slug, body);
        assert.equal(refused.status, 400, JSON.stringify(body));
        assert.equal((refused.body['errors'] as { field: string }[] | undefined)?.[0]?.field, field);
      }
      const off = await patchTenant(slug, { security_profile: 'none', access_token_alg: 'RS256' });
      assert.equal(off.status, 200, JSON.stringify(off.body));
      assert.equal(off.body['security_profile'], 'none');
      const events = await adminEvents(slug);
      assert.ok(
        events.some((event) => JSON.stringify(event).includes('"security_profile":"fapi2"')),
        'the switch is audited',
      );

      const created = await call('POST', '/tenants', platform, { slug: uniqueSlug('spc'), security_profile: 'fapi2' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body['security_profile'], 'fapi2');
      const rs = await call('POST', '/tenants', platform, {
        slug: uniqueSlug('spr'),
        security_profile: 'fapi2',
        access_token_alg: 'RS256',
      });
      assert.equal(rs.status, 400);
    });

    it('device_authorization: off by default, PATCH turns it on with its lifetime and interval, bad members refused (RFC 8628)', async () => {
      const slug = await createTenant('dv');
      assert.deepEqual((await call('GET', `/tenants/${slug}`, platform)).body['device_authorization'], {
        enabled: false,
        code_lifetime_seconds: 600,
        polling_interval_seconds: 5,
      });
      const on = await patchTenant(slug, {
        device_authorization: { enabled: true, code_lifetime_seconds: 300, polling_interval_seconds: 10 },
      });
      assert.equal(on.status, 200, JSON.stringify(on.body));
      assert.deepEqual(on.body['device_authorization'], { enabled: true, code_lifetime_seconds: 300, polling_interval_seconds: 10 });
      const metadata = (await (await fetch(`${server.issuer(slug)}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      assert.equal(metadata['device_authorization_endpoint'], `${server.issuer(slug)}/device_authorization`);
      for (const [body, field] of [
        [{ device_authorization: { enabled: 'yes' } }, 'device_authorization.enabled'],
        [{ device_authorization: { polling_interval_seconds: 0 } }, 'device_authorization.polling_interval_seconds'],
        [{ device_authorization: { code_lifetime_seconds: 86400 } }, 'device_authorization.code_lifetime_seconds'],
        [{ device_authorization: { enabeld: true } }, 'device_authorization.enabeld'],
      ] as const) {
        const refused = await patchTenant(slug, body);
        assert.equal(refused.status, 400, JSON.stringify(body));
        assert.equal((refused.body['errors'] as { field: string }[] | undefined)?.[0]?.field, field);
      }
      assert.deepEqual((await call('GET', `/tenants/${slug}`, platform)).body['device_authorization'], {
        enabled: true,
        code_lifetime_seconds: 300,
        polling_interval_seconds: 10,
      });
    });

    it('PATCH sets consent, loopback and policy overrides; a policy object replaces the stored overrides', async () => {
      const updated = await patchTenant(tenantA, {
        consent_policy: 'always',
        web_loopback_redirects: false,
        risk_policy: { geo_anomaly_points: 25, impossible_travel_kmh: 800 },
        rate_limit_policy: { lockout_threshold: 5 },
      });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body['consent_policy'], 'always');
      assert.equal(updated.body['web_loopback_redirects'], false);
      assert.deepEqual(updated.body['risk_policy'], {
        geo_anomaly_points: 25,
        impossible_travel_kmh: 800,
        new_device_points: 20,
        velocity_points: 40,
        velocity_max_attempts: 5,
        velocity_window_seconds: 300,
        credential_stuffing_points: 30,
        credential_stuffing_distinct_users: 10,
        credential_stuffing_window_seconds: 300,
        step_up_score: 50,
        block_score: 90,
      });
      assert.equal((updated.body['rate_limit_policy'] as Record<string, number>)['lockout_threshold'], 5);
      assert.equal((updated.body['rate_limit_policy'] as Record<string, number>)['lockout_seconds'], 900, 'defaults fill the rest');
      let stored = await storedTenant(tenantA);
      assert.deepEqual(stored.riskPolicy, { geoAnomalyPoints: 25, impossibleTravelKmh: 800 }, 'only the overrides are stored, camelCase');
      assert.deepEqual(stored.rateLimitPolicy, { lockoutThreshold: 5 });
      assert.equal(stored.consentPolicy, 'always');

      const replaced = await patchTenant(tenantA, { risk_policy: { velocity_points: 10 } });
      assert.equal(replaced.status, 200);
      assert.equal((replaced.body['risk_policy'] as Record<string, number>)['geo_anomaly_points'], 30, 'the earlier override is gone');
      stored = await storedTenant(tenantA);
      assert.deepEqual(stored.riskPolicy, { velocityPoints: 10 });
      assert.deepEqual(stored.rateLimitPolicy, { lockoutThreshold: 5 }, 'a policy left out is unchanged');

      const mfa = await patchTenant(tenantA, { mfa_policy: { second_factor: 'required' } });
      assert.equal(mfa.status, 200, JSON.stringify(mfa.body));
      assert.deepEqual(mfa.body['mfa_policy'], { second_factor: 'required', step_up_without_factor: 'refuse' }, 'defaults fill the rest');
      assert.deepEqual((await storedTenant(tenantA)).mfaPolicy, { secondFactor: 'required' });
      assert.equal((await patchTenant(tenantA, { mfa_policy: {} })).status, 200);

      const dpop = await patchTenant(tenantA, { dpop_policy: { enabled: true, proof_max_age_seconds: 30 } });
      assert.equal(dpop.status, 200, JSON.stringify(dpop.body));
      assert.deepEqual(dpop.body['dpop_policy'], { enabled: true, require_nonce: false, proof_max_age_seconds: 30 });
      assert.deepEqual((await storedTenant(tenantA)).dpopPolicy, { enabled: true, proofMaxAgeSeconds: 30 });
      assert.equal((await patchTenant(tenantA, { dpop_policy: {} })).status, 200);

      assert.equal((await patchTenant(tenantA, { risk_policy: {}, consent_policy: 'skip_first_party' })).status, 200);
      assert.deepEqual((await storedTenant(tenantA)).riskPolicy, {}, '{} returns to the defaults');
    });

    it('refuses bad values with a 400 naming the field, and changes nothing', async () => {
      const before = await call('GET', `/tenants/${tenantA}`, platform);
      const etag = before.headers.get('etag');
      const eventsBefore = (await adminEvents(tenantA)).length;
      const cases: [unknown, string][] = [
        [{ access_token_alg: 'HS256' }, 'access_token_alg'],
        [{ access_token_alg: 'none' }, 'access_token_alg'],
        [{ access_token_alg: 256 }, 'access_token_alg'],
        [{ consent_policy: 'sometimes' }, 'consent_policy'],
        [{ web_loopback_redirects: 'no' }, 'web_loopback_redirects'],
        [{ risk_policy: { foo: 1 } }, 'risk_policy.foo'],
        [{ risk_policy: { geoAnomalyPoints: 25 } }, 'risk_policy.geoAnomalyPoints'],
        [{ risk_policy: { geo_anomaly_points: 101 } }, 'risk_policy.geo_anomaly_points'],
        [{ risk_policy: { geo_anomaly_points: -1 } }, 'risk_policy.geo_anomaly_points'],
        [{ risk_policy: { geo_anomaly_points: 2.5 } }, 'risk_policy.geo_anomaly_points'],
        [{ risk_policy: { geo_anomaly_points: '25' } }, 'risk_policy.geo_anomaly_points'],
        [{ risk_policy: { impossible_travel_kmh: 99 } }, 'risk_policy.impossible_travel_kmh'],
        [{ risk_policy: [25] }, 'risk_policy'],
        [{ risk_policy: 'strict' }, 'risk_policy'],
        [{ risk_policy: { step_up_score: 0 } }, 'risk_policy.step_up_score'],
        [{ mfa_policy: { second_factor: 'always' } }, 'mfa_policy.second_factor'],
        [{ mfa_policy: { secondFactor: 'required' } }, 'mfa_policy.secondFactor'],
        [{ mfa_policy: { step_up_without_factor: true } }, 'mfa_policy.step_up_without_factor'],
        [{ mfa_policy: 'strict' }, 'mfa_policy'],
        [{ dpop_policy: { enabled: 'yes' } }, 'dpop_policy.enabled'],
        [{ dpop_policy: { proof_max_age_seconds: 1 } }, 'dpop_policy.proof_max_age_seconds'],
        [{ dpop_policy: { requireNonce: true } }, 'dpop_policy.requireNonce'],
        [{ rate_limit_policy: { lockout_threshold: 0 } }, 'rate_limit_policy.lockout_threshold'],
        [
          { rate_limit_policy: { token_requests_per_client_per_minute: 1_000_001 } },
          'rate_limit_policy.token_requests_per_client_per_minute',
        ],
        [{ rate_limit_policy: { geo_anomaly_points: 5 } }, 'rate_limit_policy.geo_anomaly_points'],
        [{ access_token_ttl_seconds: 5 }, 'access_token_ttl_seconds'],
      ];
      for (const [body, field] of cases) {
        const refused = await call('PATCH', `/tenants/${tenantA}`, platform, body, etag);
        assert.equal(refused.status, 400, JSON.stringify(body));
        assert.equal(refused.body['code'], 'validation_failed');
        assert.deepEqual(
          (refused.body['errors'] as { field: string }[]).map((error) => error.field),
          [field],
          JSON.stringify(body),
        );
      }
      // A valid member does not slip through beside an invalid one.
      assert.equal((await call('PATCH', `/tenants/${tenantA}`, platform, { name: 'Changed', risk_policy: { foo: 1 } }, etag)).status, 400);
      const after = await call('GET', `/tenants/${tenantA}`, platform);
      assert.equal(after.headers.get('etag'), etag, 'nothing changed');
      assert.deepEqual(after.body, before.body);
      assert.equal((await adminEvents(tenantA)).length, eventsBefore, 'no audit event for a refused change');
    });

    it('needs If-Match (428) and refuses a stale one (412) without writing anything', async () => {
      const slug = await createTenant('ta-etag');
      const etag = (await call('GET', `/tenants/${slug}`, platform)).headers.get('etag');
      const missing = await call('PATCH', `/tenants/${slug}`, platform, { consent_policy: 'always' });
      assert.equal(missing.status, 428);
      assert.equal(missing.body['code'], 'precondition_required');
      assert.equal((await call('PATCH', `/tenants/${slug}`, platform, { risk_policy: { velocity_points: 50 } }, etag)).status, 200);
      const eventsBefore = await adminEvents(slug);
      const stale = await call('PATCH', `/tenants/${slug}`, platform, { consent_policy: 'always' }, etag);
      assert.equal(stale.status, 412);
      assert.equal(stale.body['code'], 'precondition_failed');
      assert.equal((await storedTenant(slug)).consentPolicy, 'skip_first_party');
      assert.deepEqual(await adminEvents(slug), eventsBefore, 'a failed update leaves no event');
    });

    it('a tenant admin reads its tenant but changes neither its settings nor its status, and gets 404 for another tenant', async () => {
      const own = await patchTenant(tenantB, { consent_policy: 'always' }, adminOfB);
      assert.equal(own.status, 403, 'tenants are platform admins only (issue 5)');
      assert.equal((await call('GET', `/tenants/${tenantB}`, adminOfB)).status, 200);
      assert.equal((await storedTenant(tenantB)).consentPolicy, 'skip_first_party');
      const disable = await patchTenant(tenantB, { status: 'disabled' }, adminOfB);
      assert.equal(disable.status, 403);
      assert.equal(disable.body['code'], 'forbidden');
      const aBefore = await call('GET', `/tenants/${tenantA}`, platform);
      for (const body of [{ consent_policy: 'always' }, { access_token_alg: 'PS256' }, { status: 'disabled' }]) {
        const foreign = await call('PATCH', `/tenants/${tenantA}`, adminOfB, body, '*');
        assert.equal(foreign.status, 404, JSON.stringify(body));
        assert.equal(foreign.body['code'], 'tenant_not_found');
      }
      assert.equal((await call('GET', `/tenants/${tenantA}`, adminOfB)).status, 404);
      assert.equal((await call('POST', '/tenants', adminOfB, { slug: uniqueSlug('ta-x') })).status, 403);
      assert.equal((await storedTenant(tenantB)).status, 'active');
      assert.deepEqual((await call('GET', `/tenants/${tenantA}`, platform)).body, aBefore.body, "tenant A unchanged by B's admin");
    });
  });

  describe('signing algorithm', () => {
    async function serviceClient(slug: string): Promise<{ clientId: string; secret: string }> {
      await server.admin.apis.create({ tenant: slug, identifier: ORDERS, scope: 'orders:read' });
      const created = await server.admin.clients.create({
        tenant: slug,
        name: 'Batch',
        grantTypes: ['client_credentials'],
        scope: 'orders:read',
      });
      return { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
    }

    /** client_credentials at the tenant's token endpoint; the token verified against the tenant's published JWKS. */
    async function mint(on: RunningAuthorizationServer, slug: string, client: { clientId: string; secret: string }): Promise<string> {
      const issuer = on.issuer(slug);
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret)}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'orders:read', resource: ORDERS }).toString(),
      });
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(response.status, 200, JSON.stringify(body));
      const token = String(body['access_token']);
      const header = decodeProtectedHeader(token);
      const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: JWK[] };
      const jwk = jwks.keys.find((key) => key.kid === header.kid);
      assert.ok(jwk, 'the signing key is published');
      await jwtVerify(token, await importJWK(jwk, header.alg), { issuer });
      return String(header.alg);
    }

    it('switching to PS256 creates its key in the same transaction and the next token is PS256; back to ES256 reuses the ES256 key', async () => {
      const slug = await createTenant('ta-alg');
      const client = await serviceClient(slug);
      const keysBefore = (await call('GET', `/tenants/${slug}/keys`, platform)).body['items'] as { kid: string; alg: string }[];
      assert.deepEqual(keysBefore.map((key) => key.alg).sort(), ['ES256', 'RS256']);

      const switched = await patchTenant(slug, { access_token_alg: 'PS256' });
      assert.equal(switched.status, 200, JSON.stringify(switched.body));
      assert.equal(switched.body['access_token_alg'], 'PS256');
      const keys = (await call('GET', `/tenants/${slug}/keys`, platform)).body['items'] as {
        kid: string;
        alg: string;
        activates_at: string;
      }[];
      const ps256 = keys.filter((key) => key.alg === 'PS256');
      assert.equal(ps256.length, 1, 'one PS256 key created');
      assert.ok(Date.parse(ps256[0]?.activates_at ?? '') <= Date.now(), 'it signs at once');
      assert.equal(keys.length, 3, 'the ES256 and RS256 keys are kept');
      const [event] = (await adminEvents(slug)).filter((e) => e.action === 'admin.tenant.updated');
      assert.ok(event);
      assert.deepEqual(
        [event.before, event.after],
        [{ access_token_alg: 'ES256' }, { access_token_alg: 'PS256' }],
        'the diff, and only it',
      );
      assert.equal(event.xmin, await rowTransaction('signing_keys', 'kid', ps256[0]?.kid ?? ''), 'key and event in one transaction');
      assert.equal(event.xmin, await rowTransaction('tenants', 'slug', slug), 'change and event in one transaction');

      assert.equal(await mint(server, slug, client), 'PS256');

      assert.equal((await patchTenant(slug, { access_token_alg: 'ES256' })).status, 200);
      assert.equal(((await call('GET', `/tenants/${slug}/keys`, platform)).body['items'] as unknown[]).length, 3, 'no new key needed');
      assert.equal(await mint(server, slug, client), 'ES256', 'the cached tenant was dropped when the admin changed it');
    });

    it('RS256 needs no new key: the tenant always keeps one', async () => {
      const slug = await createTenant('ta-rs');
      const client = await serviceClient(slug);
      assert.equal((await patchTenant(slug, { access_token_alg: 'RS256' })).status, 200);
      assert.equal(((await call('GET', `/tenants/${slug}/keys`, platform)).body['items'] as unknown[]).length, 2);
      assert.equal(await mint(server, slug, client), 'RS256');
    });
  });

  describe('consent policy and disabled tenants at the issuer', () => {
    async function consentTenant(policy: 'always' | 'skip_first_party'): Promise<{ slug: string; clientId: string }> {
      const slug = await createTenant('ta-consent');
      await server.admin.users.create({ tenant: slug, username: 'alice', email: 'alice@example.com', password: PASSWORD });
      const client = await server.admin.clients.create({
        tenant: slug,
        name: 'Console',
        redirectUris: [REDIRECT_URI],
        scope: 'openid profile',
        firstParty: true,
      });
      if (policy === 'always') assert.equal((await patchTenant(slug, { consent_policy: 'always' })).status, 200);
      return { slug, clientId: client.client.clientId };
    }

    async function pagesFor(slug: string, clientId: string): Promise<{ landedAt: string; pages: string[] }> {
      const url = new URL(`${server.issuer(slug)}/authorize`);
      const verifier = randomBytes(32).toString('base64url');
      url.search = new URLSearchParams({
        client_id: clientId,
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope: 'openid profile',
        state: 'state-1',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();
      return signIn(new TestBrowser(), server.origin, url.toString());
    }

    it("'always' makes a first-party client show the consent page; the default skips it", async () => {
      const skipping = await consentTenant('skip_first_party');
      const skipped = await pagesFor(skipping.slug, skipping.clientId);
      assert.ok(skipped.landedAt.startsWith(REDIRECT_URI), skipped.landedAt);
      assert.equal(skipped.pages.length, 1, 'only the login page');

      const asking = await consentTenant('always');
      const asked = await pagesFor(asking.slug, asking.clientId);
      assert.ok(asked.landedAt.startsWith(REDIRECT_URI), asked.landedAt);
      assert.equal(asked.pages.length, 2, 'a login page, then a consent page');
      assert.match(asked.pages[1] ?? '', /Console wants to access your/);
    });

    it("a disabled tenant's issuer endpoints answer 404; only a platform admin disables", async () => {
      const slug = await createTenant('ta-off');
      assert.equal(
        (await fetch(`${server.issuer(slug)}/.well-known/openid-configuration`)).status,
        200,
        'served (and cached) while active',
      );
      const tenantAdmin = (await server.admin.adminTokens.mint({ tenant: slug })).accessToken;
      assert.equal((await patchTenant(slug, { status: 'disabled' }, tenantAdmin)).status, 403);
      const disabled = await patchTenant(slug, { status: 'disabled' });
      assert.equal(disabled.status, 200);
      assert.equal(disabled.body['status'], 'disabled');
      const issuer = server.issuer(slug);
      for (const path of ['/.well-known/openid-configuration', '/jwks']) assert.equal((await fetch(`${issuer}${path}`)).status, 404, path);
      assert.equal((await fetch(`${server.origin}/.well-known/oauth-authorization-server/t/${slug}`)).status, 404);
      const token = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=x&client_secret=y',
      });
      assert.equal(token.status, 404);
      assert.equal((await fetch(`${issuer}/authorize?client_id=x`)).status, 404);
    });

    it('the system tenant cannot be disabled', async () => {
      const refused = await patchTenant('system', { status: 'disabled' });
      assert.equal(refused.status, 400);
      assert.equal((await storedTenant('system')).status, 'active');
    });
  });

  describe('APIs', () => {
    it('lifecycle: create, get with ETag, patch with If-Match, delete; each change audited in its own transaction', async () => {
      const created = await call('POST', `/tenants/${tenantA}/apis`, adminOfA, {
        identifier: ORDERS,
        scope: 'orders:read',
        name: 'Orders',
      });
      assert.equal(created.status, 201);
      const id = String(created.body['id']);
      const path = `/tenants/${tenantA}/apis/${id}`;

      const read = await call('GET', path, adminOfA);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body, { id, identifier: ORDERS, name: 'Orders', scope: 'orders:read' });
      const etag = read.headers.get('etag');
      assert.match(etag ?? '', /^"[A-Za-z0-9_-]+"$/);

      assert.equal((await call('PATCH', path, adminOfA, { name: 'Orders v2' })).status, 428);
      const updated = await call('PATCH', path, adminOfA, { name: 'Orders v2', scope: 'orders:read orders:write' }, etag);
      assert.equal(updated.status, 200);
      assert.deepEqual(updated.body, { id, identifier: ORDERS, name: 'Orders v2', scope: 'orders:read orders:write' });
      assert.notEqual(updated.headers.get('etag'), etag);
      assert.equal((await call('GET', path, adminOfA)).headers.get('etag'), updated.headers.get('etag'));
      const stale = await call('PATCH', path, adminOfA, { name: 'Lost update' }, etag);
      assert.equal(stale.status, 412);

      const current = updated.headers.get('etag');
      const invalid: [unknown, string][] = [
        [{ scope: 'openid' }, 'scope'],
        [{ scope: '' }, 'scope'],
        [{ scope: 'bad"scope' }, 'scope'],
        [{ scope: ['orders:read'] }, 'scope'],
        [{ name: ' ' }, 'name'],
        [{ identifier: 'https://elsewhere.example.test' }, 'identifier'],
      ];
      for (const [body, field] of invalid) {
        const refused = await call('PATCH', path, adminOfA, body, current);
        assert.equal(refused.status, 400, JSON.stringify(body));
        assert.equal((refused.body['errors'] as { field: string }[])[0]?.field, field);
      }
      assert.equal((await call('GET', path, adminOfA)).body['name'], 'Orders v2', 'refused patches changed nothing');

      const events = (await adminEvents(tenantA)).filter((e) => e.target === ORDERS);
      assert.deepEqual(
        events.map((e) => e.action),
        ['admin.api.created', 'admin.api.updated'],
        'one event per change, none for refusals',
      );
      assert.equal(events[1]?.xmin, await rowTransaction('apis', 'id', id), 'update and event in one transaction');
      assert.deepEqual(events[1]?.before, { id, identifier: ORDERS, name: 'Orders', scope: 'orders:read' });
      assert.equal(events[1]?.actor, 'gatehouse-cli');

      assert.equal((await call('DELETE', path, adminOfA)).status, 204);
      assert.equal((await call('GET', path, adminOfA)).status, 404);
      assert.equal((await call('DELETE', path, adminOfA)).status, 404);
      const deleted = (await adminEvents(tenantA)).filter((e) => e.target === ORDERS).at(-1);
      assert.equal(deleted?.action, 'admin.api.deleted');
      assert.deepEqual(deleted?.after, null);
      assert.equal(
        (await call('GET', `/tenants/${tenantA}/apis/not-a-uuid`, adminOfA)).status,
        404,
        'a malformed id is unknown, not an error',
      );
    });

    it('deleting an API withdraws the consents given to it, and only those: an API created again under its identifier asks anew', async () => {
      const identifier = 'https://consented.example.test';
      const created = await call('POST', `/tenants/${tenantA}/apis`, adminOfA, { identifier, scope: 'read' });
      assert.equal(created.status, 201);
      const tenant = await storedTenant(tenantA);
      const { users, consents } = server.infrastructure.persistence.repositories;
      const inserted = await users.insert(tenant.id, { username: 'api-consenter', email: null, passwordHash: '$argon2id$x' });
      assert.ok('created' in inserted);
      const user = inserted.created.id;
      await consents.grant(tenant.id, user, 'app', ['openid'], new Date());
      await consents.grant(tenant.id, user, 'app', ['read'], new Date(), identifier);
      await consents.grant(tenant.id, user, 'app', ['orders:read'], new Date(), ORDERS);

      assert.equal((await call('DELETE', `/tenants/${tenantA}/apis/${String(created.body['id'])}`, adminOfA)).status, 204);
      assert.deepEqual(await consents.findGrants(tenant.id, user, 'app'), [
        { resource: null, scopes: ['openid'] },
        { resource: ORDERS, scopes: ['orders:read'] },
      ]);
    });

    it("tenant isolation: B's admin gets 404 for A's API on GET, PATCH and DELETE, and A's API is unchanged", async () => {
      const created = await call('POST', `/tenants/${tenantA}/apis`, adminOfA, {
        identifier: 'https://isolated.example.test',
        scope: 'iso:read',
      });
      const id = String(created.body['id']);
      const before = await call('GET', `/tenants/${tenantA}/apis/${id}`, adminOfA);
      const eventsBefore = (await adminEvents(tenantA)).length;
      const attempts: [string, string, unknown?][] = [
        ['GET', `/tenants/${tenantA}/apis/${id}`],
        ['PATCH', `/tenants/${tenantA}/apis/${id}`, { name: 'Mine now' }],
        ['DELETE', `/tenants/${tenantA}/apis/${id}`],
        // Through B's own tenant path: the id is unknown there.
        ['GET', `/tenants/${tenantB}/apis/${id}`],
        ['PATCH', `/tenants/${tenantB}/apis/${id}`, { name: 'Mine now' }],
        ['DELETE', `/tenants/${tenantB}/apis/${id}`],
      ];
      for (const [method, path, body] of attempts) {
        const response = await call(method, path, adminOfB, body, '*');
        assert.equal(response.status, 404, `${method} ${path}`);
      }
      const after = await call('GET', `/tenants/${tenantA}/apis/${id}`, adminOfA);
      assert.deepEqual(after.body, before.body);
      assert.equal(after.headers.get('etag'), before.headers.get('etag'));
      assert.equal((await adminEvents(tenantA)).length, eventsBefore);
      assert.equal((await adminEvents(tenantB)).filter((e) => e.action.startsWith('admin.api.')).length, 0);
    });

    it("the system tenant's admin API cannot be deleted or lose its admin scope (409)", async () => {
      const listed = await call('GET', '/tenants/system/apis', platform);
      const adminApi = (listed.body['items'] as { id: string; identifier: string }[]).find(
        (api) => api.identifier === 'urn:gatehouse:admin',
      );
      assert.ok(adminApi);
      const path = `/tenants/system/apis/${adminApi.id}`;
      const read = await call('GET', path, platform);
      const eventsBefore = (await adminEvents('system')).length;
      const deleted = await call('DELETE', path, platform);
      assert.equal(deleted.status, 409);
      assert.equal(deleted.body['code'], 'conflict');
      const narrowed = await call('PATCH', path, platform, { scope: 'other' }, read.headers.get('etag'));
      assert.equal(narrowed.status, 409);
      assert.equal(narrowed.body['code'], 'conflict');
      assert.deepEqual((await call('GET', path, platform)).body, read.body, 'unchanged');
      assert.equal((await adminEvents('system')).length, eventsBefore, 'no event for a refusal');
      assert.equal((await call('GET', '/tenants', platform)).status, 200, 'admin tokens still work');
    });
  });

  describe('audit of keys and registration tokens', () => {
    it('a key rotation and its event share one transaction', async () => {
      const rotated = await call('POST', `/tenants/${tenantB}/keys/rotate`, adminOfB);
      assert.equal(rotated.status, 200);
      const kid = (rotated.body['keys'] as { kid: string }[])[0]?.kid ?? '';
      const event = (await adminEvents(tenantB)).filter((e) => e.action === 'admin.keys.rotated').at(-1);
      assert.ok(event);
      assert.ok(((event.after?.['keys'] ?? []) as { kid: string }[]).some((key) => key.kid === kid));
      assert.equal(((event.before?.['keys'] ?? []) as unknown[]).length, 2, 'the keys it supersedes');
      assert.equal(event.xmin, await rowTransaction('signing_keys', 'kid', kid));
      assert.doesNotMatch(JSON.stringify(event), /private|"d":/);
    });

    it('registration tokens: create and revoke are audited in their transactions, without the token or its hash', async () => {
      const created = await call('POST', `/tenants/${tenantB}/registration-tokens`, adminOfB, { expires_in: 600 });
      assert.equal(created.status, 201);
      const id = String(created.body['id']);
      const token = String(created.body['token']);
      const createdEvent = (await adminEvents(tenantB)).find((e) => e.action === 'admin.registration_token.created' && e.target === id);
      assert.ok(createdEvent);
      assert.equal(createdEvent.xmin, await rowTransaction('registration_tokens', 'id', id));

      assert.equal((await call('DELETE', `/tenants/${tenantB}/registration-tokens/${id}`, adminOfB)).status, 204);
      const revokedEvent = (await adminEvents(tenantB)).find((e) => e.action === 'admin.registration_token.revoked' && e.target === id);
      assert.ok(revokedEvent);
      assert.equal(revokedEvent.before?.['revoked_at'], null);
      assert.ok(revokedEvent.after?.['revoked_at']);
      assert.equal(revokedEvent.xmin, await rowTransaction('registration_tokens', 'id', id), 'the revocation and its event');

      const eventsBefore = (await adminEvents(tenantB)).length;
      assert.equal((await call('DELETE', `/tenants/${tenantB}/registration-tokens/${id}`, adminOfB)).status, 404);
      assert.equal((await call('DELETE', `/tenants/${tenantB}/registration-tokens/not-a-uuid`, adminOfB)).status, 404);
      assert.equal((await adminEvents(tenantB)).length, eventsBefore, 'no event for a refused revocation');

      const [{ token_hash: hash } = { token_hash: '' }] = await query<{ token_hash: string }>(
        'SELECT token_hash FROM registration_tokens WHERE id = $1',
        [id],
      );
      const all = JSON.stringify(await adminEvents(tenantB));
      assert.ok(hash.length > 0);
      assert.ok(!all.includes(token), 'the token is never audited');
      assert.ok(!all.includes(hash), 'nor its hash');
    });

    it('a tenant created through the API is audited with its creator, in the transaction that created it', async () => {
      const slug = await createTenant('ta-new');
      const [event] = await adminEvents(slug);
      assert.equal(event?.action, 'admin.tenant.created');
      assert.equal(event?.actor, 'gatehouse-cli');
      assert.equal(event?.after?.['slug'], slug);
      assert.equal(event?.xmin, await rowTransaction('tenants', 'slug', slug));
    });
  });

  it('the OpenAPI document shows the API routes and the tenant settings', async () => {
    const origin = base.replace(/\/admin\/v1$/, '');
    const document = (await (await fetch(`${origin}/docs-json`)).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>
      >;
    };
    const api = document.paths['/admin/v1/tenants/{tenant}/apis/{id}'];
    assert.ok(api);
    assert.deepEqual(Object.keys(api).sort(), ['delete', 'get', 'patch']);
    const tenantPatch = document.paths['/admin/v1/tenants/{tenant}']?.['patch'];
    const properties = tenantPatch?.requestBody?.content['application/json']?.schema.properties ?? {};
    for (const field of ['access_token_alg', 'consent_policy', 'web_loopback_redirects', 'risk_policy', 'rate_limit_policy'])
      assert.ok(field in properties, field);
    assert.deepEqual((properties['access_token_alg'] as { enum: string[] }).enum, ['ES256', 'RS256', 'PS256', 'EdDSA']);
    const riskPolicy = properties['risk_policy'] as { properties: Record<string, { minimum: number; maximum: number }> };
    assert.deepEqual(riskPolicy.properties['geo_anomaly_points'], { type: 'integer', minimum: 0, maximum: 100, default: 30 });
    assert.match(JSON.stringify(document.paths['/admin/v1/tenants/{tenant}']?.['get']), /effective/);
  });

  describe('deleting a tenant (issue 18)', () => {
    it('needs ?confirm={slug} and a platform admin, never takes the system tenant, and takes everything of the tenant with it', async () => {
      const slug = await createTenant('del');
      await server.admin.users.create({ tenant: slug, username: 'dora', password: PASSWORD });
      const discovery = `${server.issuer(slug)}/.well-known/openid-configuration`;
      assert.equal((await fetch(discovery)).status, 200);

      assert.equal(
        (await call('DELETE', `/tenants/${slug}?confirm=${slug}`, adminOfA)).status,
        404,
        "another tenant's admin: as if it did not exist",
      );
      const unconfirmed = await call('DELETE', `/tenants/${slug}`, platform);
      assert.equal(unconfirmed.status, 400);
      assert.equal((unconfirmed.body['errors'] as { field: string }[])[0]?.field, 'confirm');
      assert.equal((await call('DELETE', `/tenants/${slug}?confirm=${tenantA}`, platform)).status, 400);
      assert.equal((await call('DELETE', '/tenants/system?confirm=system', platform)).status, 400);
      assert.equal((await fetch(discovery)).status, 200, 'nothing was deleted by the refusals');

      const deleted = await call('DELETE', `/tenants/${slug}?confirm=${slug}`, platform);
      assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
      assert.deepEqual(deleted.body, { deleted: slug });
      assert.equal((await call('GET', `/tenants/${slug}`, platform)).status, 404);
      assert.equal((await fetch(discovery)).status, 404, 'the issuer stops answering, its cached tenant dropped');
      assert.deepEqual(await query(`SELECT 1 FROM users u WHERE NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = u.tenant_id)`, []), []);
      const audited = (await adminEvents('system')).find((event) => event.action === 'admin.tenant.deleted' && event.target === slug);
      assert.equal(audited?.before?.['users'], 1);
      assert.equal((await call('DELETE', `/tenants/${slug}?confirm=${slug}`, platform)).status, 404);
    });
  });
});
