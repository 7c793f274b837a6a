import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair } from 'jose';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { bootstrapPlatform, createAdminApp } from '../../apps/admin/src/index.js';
import { startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../support/index.js';
import { auditEvents, basic, oauthError, PASSWORD, postForm } from './items-4-7-8-9-14.fixture.js';

/** A JSON text whose string holds a lone UTF-16 surrogate: JSON.stringify would escape it the same way. */
const LONE_SURROGATE = '\\ud800';
/** A JSON value nested 40 objects deep (deeper than any check walks) around a string holding NUL. */
const DEEP_NUL = `${'{"a":'.repeat(40)}"x\\u0000"${'}'.repeat(40)}`;

/**
 * Issue 10 item 8: input that used to be a 500 is a 400 with the surface's standard error, and OAuth
 * endpoints take only application/x-www-form-urlencoded bodies (RFC 6749 §3.2).
 */
async function publicJwk(): Promise<Record<string, unknown>> {
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(publicKey)), kid: 'deep', alg: 'ES256', use: 'sig' };
}

describe('security item 8: malformed input is refused, never a 500', () => {
  let server: RunningAuthorizationServer;
  let admin: NestFastifyApplication;
  let adminBase: string;
  let adminToken: string;
  let issuer: string;
  let clientId: string;
  let secret: string;
  const tenant = uniqueSlug('item8');

  before(async () => {
    server = await startAuthorizationServer();
    await server.admin.tenants.create(tenant, 'Item 8');
    await server.admin.users.create({ tenant, username: 'alice', password: PASSWORD });
    const created = await server.admin.clients.create({
      tenant,
      name: 'Machine',
      grantTypes: ['client_credentials'],
      scope: 'profile',
    });
    clientId = created.client.clientId;
    secret = created.clientSecret ?? '';
    issuer = server.issuer(tenant);
    await bootstrapPlatform(server.config, server.infrastructure.persistence, server.admin.tenants, server.admin.users);
    admin = await createAdminApp(
      server.config,
      server.infrastructure,
      new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }),
    );
    adminBase = `${await listen(admin, '127.0.0.1', 0)}/admin/v1`;
    adminToken = (await server.admin.adminTokens.mint({})).accessToken;
  });
  after(async () => {
    await admin?.close();
    await server?.close();
  });

  async function tenantId() {
    const found = await server.infrastructure.persistence.repositories.tenants.findBySlug(tenant);
    assert.ok(found);
    return found.id;
  }

  async function issuedTokens(): Promise<number> {
    return (await auditEvents(server, tenant, 'token.issued')).length;
  }

  describe('OAuth endpoints accept only form bodies', () => {
    it('the form itself is accepted (control)', async () => {
      const response = await postForm(`${issuer}/token`, { grant_type: 'client_credentials' }, { authorization: basic(clientId, secret) });
      assert.equal(response.status, 200, await response.clone().text());
    });

    it('a JSON body at /token is invalid_request and issues nothing', async () => {
      const before = await issuedTokens();
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic(clientId, secret) },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      });
      assert.equal(await oauthError(response, 400), 'invalid_request');
      assert.equal(await issuedTokens(), before);
    });

    for (const contentType of ['text/plain', 'application/json; charset=utf-8', 'multipart/form-data; boundary=x']) {
      it(`${contentType} at /token, /introspect and /revoke is 400 invalid_request`, async () => {
        const before = await issuedTokens();
        for (const endpoint of ['token', 'introspect', 'revoke']) {
          const response = await fetch(`${issuer}/${endpoint}`, {
            method: 'POST',
            headers: { 'content-type': contentType, authorization: basic(clientId, secret) },
            body: contentType.startsWith('multipart')
              ? '--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--x--\r\n'
              : contentType.startsWith('application/json')
                ? JSON.stringify({ grant_type: 'client_credentials', token: 'x' })
                : 'grant_type=client_credentials&token=x',
          });
          assert.equal(await oauthError(response, 400), 'invalid_request', endpoint);
        }
        assert.equal(await issuedTokens(), before);
      });
    }

    it('a JSON body at POST /authorize and at POST /logout is invalid_request', async () => {
      for (const endpoint of ['authorize', 'logout']) {
        const response = await fetch(`${issuer}/${endpoint}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ client_id: clientId, response_type: 'code' }),
          redirect: 'manual',
        });
        assert.equal(await oauthError(response, 400), 'invalid_request', endpoint);
      }
    });
  });

  describe('a lone UTF-16 surrogate', () => {
    it('in a JSON body at /token and /authorize is a 400, not a 500', async () => {
      const before = await issuedTokens();
      const token = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic(clientId, secret) },
        body: `{"grant_type":"client_credentials","scope":"${LONE_SURROGATE}"}`,
      });
      assert.equal(await oauthError(token, 400), 'invalid_request');
      const authorize = await fetch(`${issuer}/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"client_id":"${clientId}","response_type":"code","state":"${LONE_SURROGATE}"}`,
        redirect: 'manual',
      });
      assert.equal(await oauthError(authorize, 400), 'invalid_request');
      assert.equal(await issuedTokens(), before);
    });

    it('as UTF-8 of a surrogate (%ED%A0%80) in a form or a query is never a 500', async () => {
      const token = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(clientId, secret) },
        body: 'grant_type=client_credentials&scope=%ED%A0%80',
      });
      assert.ok(token.status < 500, `token: ${token.status}`);
      const authorize = await fetch(`${issuer}/authorize?client_id=${clientId}&response_type=code&state=%ED%A0%80`, { redirect: 'manual' });
      assert.ok(authorize.status < 500, `authorize: ${authorize.status}`);
    });

    it('in dynamic registration metadata (which stays JSON, RFC 7591) is invalid_client_metadata, and no client is made', async () => {
      const { token: initial } = await server.admin.registrationTokens.create(tenant);
      const clientsBefore = (await server.infrastructure.persistence.repositories.clients.listPage(await tenantId(), null, 1000)).length;
      for (const body of [
        `{"redirect_uris":["https://rp.example.test/cb"],"client_name":"x${LONE_SURROGATE}"}`,
        `{"redirect_uris":["https://rp.example.test/cb"],"jwks":{"keys":[{"kty":"EC","x${LONE_SURROGATE}":"1"}]}}`,
        // A real public key, so only the hidden NUL can be what is refused.
        `{"redirect_uris":["https://rp.example.test/cb"],"jwks":{"keys":[${JSON.stringify(await publicJwk()).slice(0, -1)},"x5u_note":${DEEP_NUL}}]}}`,
      ]) {
        const response = await fetch(`${issuer}/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${initial}` },
          body,
        });
        assert.equal(await oauthError(response, 400), 'invalid_client_metadata');
      }
      const control = await fetch(`${issuer}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${initial}` },
        body: JSON.stringify({ redirect_uris: ['https://rp.example.test/cb'], client_name: 'fine' }),
      });
      assert.equal(control.status, 201, 'registration still takes JSON');
      const clientsAfter = (await server.infrastructure.persistence.repositories.clients.listPage(await tenantId(), null, 1000)).length;
      assert.equal(clientsAfter, clientsBefore + 1);
    });

    it('in a JSON body at the admin API is 400 problem+json, and nothing is written', async () => {
      const users = await adminSend('POST', `/tenants/${tenant}/users`, `{"username":"bob${LONE_SURROGATE}","password":"${PASSWORD}"}`);
      assertProblem(users, 'username');
      const nested = await adminSend(
        'POST',
        `/tenants/${tenant}/apis`,
        `{"identifier":"https://api.example.test/x","scope":"read","name":"n${LONE_SURROGATE}"}`,
      );
      assertProblem(nested, 'name');
      const key = JSON.stringify(await publicJwk()).slice(0, -1);
      const deep = await adminSend(
        'POST',
        `/tenants/${tenant}/clients`,
        `{"client_name":"Deep","grant_types":["client_credentials"],"token_endpoint_auth_method":"private_key_jwt","jwks":{"keys":[${key},"note":${DEEP_NUL}}]}}`,
      );
      assert.equal(deep.status, 400, `a NUL hidden deeper than the walk is refused too: ${JSON.stringify(deep.body)}`);
      assert.match(deep.contentType, /application\/problem\+json/);
      assert.match(JSON.stringify(deep.body), /nest deeper/);
      const list = await adminSend('GET', `/tenants/${tenant}/users`);
      assert.deepEqual(
        (list.body['items'] as { username: string }[]).map((user) => user.username),
        ['alice'],
      );
    });
  });

  describe('admin API cursors and numbers', () => {
    const cursor = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
    const cases: [string, string][] = [
      ['a cursor that decodes to NUL (tenants)', `/tenants?cursor=${cursor('\u0000')}`],
      ['a cursor that decodes to NUL (clients)', `/tenants/${tenant}/clients?cursor=${cursor('a\u0000b')}`],
      ['a cursor that decodes to NUL (users)', `/tenants/${tenant}/users?cursor=${cursor('\u0000')}`],
      ['a cursor that decodes to NUL (apis)', `/tenants/${tenant}/apis?cursor=${cursor('\u0000')}`],
      ['a cursor that is not UTF-8', `/tenants?cursor=${Buffer.from([0xed, 0xa0, 0x80]).toString('base64url')}`],
      [
        'a session cursor past bigint',
        `/tenants/${tenant}/users/alice/sessions?cursor=${cursor(`99999999999999999999.${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`)}`,
      ],
      ['a consent cursor that decodes to NUL', `/tenants/${tenant}/users/alice/consents?cursor=${cursor('\u0000')}`],
      [
        'a SIEM sink cursor out of the date range',
        `/tenants/${tenant}/siem-sinks?cursor=${cursor(`-271821-04-20T00:00:00.000Z|${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`)}`,
      ],
      [
        'a registration-token cursor out of the date range',
        `/tenants/${tenant}/registration-tokens?cursor=${cursor(`+275760-09-13T00:00:00.000Z|${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`)}`,
      ],
      ['a dead-letter cursor that is not a position', `/tenants/${tenant}/dead-letters?cursor=${cursor('\u0000|x')}`],
      ['an audit cursor out of range', `/tenants/${tenant}/audit-records?cursor=${cursor('99999999999999999999')}`],
      ['a limit out of range', `/tenants?limit=1e400`],
    ];
    for (const [what, path] of cases) {
      it(`${what}: 400 problem+json`, async () => {
        const response = await adminSend('GET', path);
        assert.equal(response.status, 400, JSON.stringify(response.body));
        assert.match(response.contentType, /application\/problem\+json/);
        assert.equal(response.body['code'], 'validation_failed');
      });
    }

    it('an id that is not a uuid is a 4xx, never a 500', async () => {
      for (const path of [`/tenants/${tenant}/apis/not-a-uuid`, `/tenants/${tenant}/siem-sinks/${'9'.repeat(40)}`]) {
        const response = await adminSend('GET', path);
        assert.ok(response.status >= 400 && response.status < 500, `${path}: ${response.status}`);
      }
    });
  });

  function assertProblem(response: { status: number; contentType: string; body: Record<string, unknown> }, field: string): void {
    assert.equal(response.status, 400, JSON.stringify(response.body));
    assert.match(response.contentType, /application\/problem\+json/);
    assert.equal(response.body['code'], 'validation_failed');
    assert.equal((response.body['errors'] as { field: string }[] | undefined)?.[0]?.field, field);
  }

  async function adminSend(
    method: string,
    path: string,
    body?: string,
  ): Promise<{ status: number; contentType: string; body: Record<string, unknown> }> {
    const response = await fetch(`${adminBase}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body,
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }
});
