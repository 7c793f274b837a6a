import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../support/index.js';
import { auditEvents, basic, oauthError, postForm } from './items-4-7-8-9-14.fixture.js';

const LIMIT = 3;

/**
 * Issue 10 item 7: token_requests_per_client_per_minute is enforced at the token endpoint, per
 * authenticated client (in Redis when the run has it), as 429 + Retry-After, audited, nothing issued.
 */
describe('security item 7: the token endpoint enforces the per-client rate limit', () => {
  let server: RunningAuthorizationServer;
  let issuer: string;
  let noisy: { clientId: string; secret: string };
  let quiet: { clientId: string; secret: string };
  let publicClientId: string;
  const tenant = uniqueSlug('item7');

  before(async () => {
    // The loopback peer is a trusted proxy, so X-Forwarded-For stands for different people's addresses.
    server = await startAuthorizationServer({ TRUSTED_PROXIES: '127.0.0.1,::1' });
    await server.admin.tenants.create(tenant, 'Item 7');
    await server.admin.tenants.update(tenant, await server.admin.tenants.get(tenant), {
      rateLimitPolicy: { tokenRequestsPerClientPerMinute: LIMIT },
    });
    const create = async (name: string) => {
      const created = await server.admin.clients.create({ tenant, name, grantTypes: ['client_credentials'], scope: 'jobs' });
      return { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
    };
    noisy = await create('Noisy');
    quiet = await create('Quiet');
    const spa = await server.admin.clients.create({ tenant, name: 'SPA', public: true, redirectUris: ['https://spa.example.test/cb'] });
    publicClientId = spa.client.clientId;
    issuer = server.issuer(tenant);
    // The limit counts per minute window: start inside one so the test never straddles two. Its requests
    // take well under a second; 5 s is margin enough on a loaded machine without waiting up to 20 s.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 55_000) await sleep(60_000 - intoMinute + 100);
  });
  after(async () => {
    await server?.close();
  });

  const token = (client: { clientId: string; secret: string }) =>
    postForm(`${issuer}/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, client.secret) });

  async function issuedTo(clientId: string): Promise<number> {
    return (await auditEvents(server, tenant, 'token.issued')).filter((event) => event.clientId === clientId).length;
  }

  it("requests without the client's credentials do not spend its budget", async () => {
    for (let i = 0; i < LIMIT + 2; i++) {
      const response = await token({ clientId: noisy.clientId, secret: 'wrong' });
      assert.equal(await oauthError(response, 401), 'invalid_client');
    }
  });

  it('allows the limit, then answers 429 with Retry-After and OAuth JSON, issues nothing and audits token.failed', async () => {
    for (let i = 0; i < LIMIT; i++) assert.equal((await token(noisy)).status, 200, `request ${i + 1}`);
    const issuedBefore = await issuedTo(noisy.clientId);

    const limited = await token(noisy);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${limited.headers.get('retry-after')}`);
    assert.equal(limited.headers.get('cache-control'), 'no-store');
    const body = (await limited.clone().json()) as Record<string, unknown>;
    assert.equal(body['access_token'], undefined);
    assert.equal(await oauthError(limited, 429), 'temporarily_unavailable');
    assert.equal((await token(noisy)).status, 429, 'still limited');

    assert.equal(await issuedTo(noisy.clientId), issuedBefore, 'no token was issued while limited');
    const failed = (await auditEvents(server, tenant, 'token.failed')).filter(
      (event) => event.clientId === noisy.clientId && event.errorCode === 'temporarily_unavailable',
    );
    assert.equal(failed.length, 2);
  });

  it('another client of the tenant keeps its own budget', async () => {
    assert.equal((await token(quiet)).status, 200);
  });

  it("a public client's budget is per source address: a stranger sending its client_id cannot lock everyone out", async () => {
    const exchange = (ip: string) =>
      postForm(
        `${issuer}/token`,
        {
          grant_type: 'authorization_code',
          client_id: publicClientId,
          code: 'made-up',
          redirect_uri: 'https://spa.example.test/cb',
          code_verifier: 'v'.repeat(43),
        },
        { 'x-forwarded-for': ip },
      );
    for (let i = 0; i < LIMIT; i++) assert.equal(await oauthError(await exchange('203.0.113.7'), 400), 'invalid_grant');
    assert.equal(await oauthError(await exchange('203.0.113.7'), 429), 'temporarily_unavailable', 'the flooding address is limited');
    assert.equal(await oauthError(await exchange('198.51.100.9'), 400), 'invalid_grant', 'another address is not');
  });
});
