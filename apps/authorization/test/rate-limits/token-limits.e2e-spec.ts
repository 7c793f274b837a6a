import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { startAuthorizationServer, TestBrowser, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { auditEvents, basic, oauthError, postForm } from '../../../../test/security/items-4-7-8-9-14.fixture.js';
import { authorizeUrl, createCodeFlowFixture, PASSWORD, REDIRECT_URI, signIn, type CodeFlowFixture } from '../flow/code-flow.fixture.js';
import { startOfAMinute } from './rate-limits.fixture.js';

/**
 * Issue 13, rate limits at the token endpoint: authorization_code per client and source IP (a
 * confidential client's successes per user instead), refresh_token per family; counted in Redis,
 * shared by every instance; the source IP from X-Forwarded-For only behind a trusted proxy.
 */
describe('token endpoint rate limits', { skip: process.env['REDIS_URL'] ? undefined : 'needs REDIS_URL' }, () => {
  let first: RunningAuthorizationServer;
  let second: RunningAuthorizationServer;
  let proxied: RunningAuthorizationServer;
  let fixture: CodeFlowFixture;

  before(async () => {
    first = await startAuthorizationServer();
    second = await startAuthorizationServer();
    // Behind a proxy on loopback: X-Forwarded-For names the client.
    proxied = await startAuthorizationServer({ TRUSTED_PROXIES: '127.0.0.1,::1' });
    fixture = await createCodeFlowFixture(first);
  });
  after(async () => {
    await Promise.all([first?.close(), second?.close(), proxied?.close()]);
  });

  type Web = { clientId: string; secret: string };
  const onTenant = (server: RunningAuthorizationServer, slug: string) => server.issuer(slug);
  /** Each test its own confidential client: its counters start from zero whatever the minute. */
  const newWebClient = async (name: string): Promise<Web> => {
    const scope = 'openid offline_access';
    const created = await first.admin.clients.create({
      tenant: fixture.tenant,
      name,
      redirectUris: [REDIRECT_URI],
      scope,
      firstParty: true,
    });
    return { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
  };
  const auth = (web: Web) => ({ authorization: basic(web.clientId, web.secret) });
  const badExchange = (web: Web, issuer: string, headers: Record<string, string> = {}) =>
    postForm(
      `${issuer}/token`,
      { grant_type: 'authorization_code', code: 'made-up', redirect_uri: REDIRECT_URI, code_verifier: 'v'.repeat(43) },
      { ...auth(web), ...headers },
    );
  const setPolicy = async (policy: Record<string, number>) =>
    first.admin.tenants.update(fixture.tenant, await first.admin.tenants.get(fixture.tenant), { rateLimitPolicy: policy });

  it('the 11th failed code exchange in a minute from one client and IP is 429 with Retry-After, counted across two instances, audited once', async () => {
    const web = await newWebClient('Eleven');
    await startOfAMinute(20);
    for (let i = 0; i < 10; i++) {
      const server = i % 2 === 0 ? first : second;
      assert.equal(await oauthError(await badExchange(web, onTenant(server, fixture.tenant)), 400), 'invalid_grant', `exchange ${i + 1}`);
    }
    const limited = await badExchange(web, onTenant(second, fixture.tenant));
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${limited.headers.get('retry-after')}`);
    assert.equal(limited.headers.get('cache-control'), 'no-store');
    const body = (await limited.clone().json()) as Record<string, unknown>;
    assert.equal(typeof body['error_description'], 'string');
    assert.equal(await oauthError(limited, 429), 'temporarily_unavailable');
    assert.equal((await badExchange(web, onTenant(first, fixture.tenant))).status, 429, 'the other instance agrees');

    const exceeded = await auditEvents(first, fixture.tenant, 'rate_limit.exceeded');
    assert.equal(exceeded.length, 1, 'one event per key and window, not one per refused request');
    assert.equal(exceeded[0]?.clientId, web.clientId);
    assert.deepEqual(exceeded[0]?.details, {
      limit: 'code_exchanges_per_client_ip_per_minute',
      key_kind: 'client_ip',
      max: 10,
      window_seconds: 60,
    });
    assert.doesNotMatch(JSON.stringify(exceeded[0]), /made-up|vvvv/, 'no code or verifier in the event');
  });

  it('X-Forwarded-For from an untrusted peer is ignored (still limited); from a trusted proxy it names the client', async () => {
    await setPolicy({ codeExchangesPerClientIpPerMinute: 2 });
    const web = await newWebClient('Spoofed');
    await startOfAMinute(20);
    const spoof = (n: number) => ({ 'x-forwarded-for': `203.0.113.${n}` });
    // `first` trusts no proxy: three "different" addresses are one peer.
    const direct = onTenant(first, fixture.tenant);
    const statuses = [];
    for (let n = 1; n <= 3; n++) statuses.push((await badExchange(web, direct, spoof(n))).status);
    assert.deepEqual(statuses, [400, 400, 429], 'spoofed addresses share the peer’s budget');

    const trusted = onTenant(proxied, fixture.tenant);
    for (let n = 10; n < 15; n++) assert.equal((await badExchange(web, trusted, spoof(n))).status, 400, `address ${n} has its own budget`);
    assert.equal((await badExchange(web, trusted, spoof(20))).status, 400);
    assert.equal((await badExchange(web, trusted, spoof(20))).status, 400);
    const over = await badExchange(web, trusted, spoof(20));
    assert.equal(await oauthError(over, 429), 'temporarily_unavailable', 'one address over its budget');
  });

  async function codeFor(web: Web, username: string): Promise<{ code: string; verifier: string }> {
    const verifier = oauth.generateRandomCodeVerifier();
    const url = authorizeUrl(fixture, {
      clientId: web.clientId,
      scope: 'openid offline_access',
      state: 's',
      codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
    });
    const { landedAt } = await signIn(new TestBrowser(), first.origin, url, { username, password: PASSWORD });
    const code = new URL(landedAt).searchParams.get('code');
    assert.ok(code, `no code at ${landedAt}`);
    return { code, verifier };
  }
  const exchange = (web: Web, issuer: string, grant: { code: string; verifier: string }) =>
    postForm(
      `${issuer}/token`,
      { grant_type: 'authorization_code', code: grant.code, redirect_uri: REDIRECT_URI, code_verifier: grant.verifier },
      auth(web),
    );

  it("a confidential client's successful exchanges count per user, not against the per-IP budget", async () => {
    const users = ['bob', 'carol', 'dave'];
    for (const username of users) await first.admin.users.create({ tenant: fixture.tenant, username, password: PASSWORD });
    await setPolicy({ codeExchangesPerClientIpPerMinute: 2, codeExchangesPerClientUserPerMinute: 1 });
    const web = await newWebClient('Backend');
    const codes = [];
    for (const username of [...users, 'bob']) codes.push(await codeFor(web, username));
    await startOfAMinute(20);
    const issuer = onTenant(first, fixture.tenant);
    for (const [i, username] of users.entries()) {
      const response = await exchange(web, issuer, codes[i] as { code: string; verifier: string });
      assert.equal(response.status, 200, `${username}: ${await response.text()}`);
    }
    const again = await exchange(web, issuer, codes[3] as { code: string; verifier: string });
    assert.equal(await oauthError(again, 429), 'temporarily_unavailable', "bob's second exchange this minute");
    assert.equal(
      (await auditEvents(first, fixture.tenant, 'rate_limit.exceeded')).at(-1)?.details?.['key_kind'],
      'client_user',
      'audited by the kind of key, never the user id as a secret',
    );
    // The refused exchange passed every check and spent nothing: with room in the limit, the same code redeems.
    await setPolicy({ codeExchangesPerClientIpPerMinute: 2, codeExchangesPerClientUserPerMinute: 5 });
    const retried = await exchange(web, issuer, codes[3] as { code: string; verifier: string });
    assert.equal(retried.status, 200, `the rate-limited code is still redeemable: ${await retried.clone().text()}`);
    // The successes did not spend the per-IP budget: failures from the same address still have theirs.
    assert.equal((await badExchange(web, issuer)).status, 400);
    assert.equal((await badExchange(web, issuer)).status, 400);
    assert.equal((await badExchange(web, issuer)).status, 429, 'failures count per address');
  });

  it('refresh_token: the family limit refuses with 429; another family keeps its budget', async () => {
    await setPolicy({ refreshesPerFamilyPerHour: 2 });
    const web = await newWebClient('Refreshing');
    const issuer = onTenant(first, fixture.tenant);
    const tokensOf = async () => {
      const response = await exchange(web, issuer, await codeFor(web, 'alice'));
      assert.equal(response.status, 200);
      return ((await response.json()) as { refresh_token: string }).refresh_token;
    };
    const refresh = (token: string) => postForm(`${issuer}/token`, { grant_type: 'refresh_token', refresh_token: token }, auth(web));
    let token = await tokensOf();
    for (let i = 0; i < 2; i++) {
      const response = await refresh(token);
      assert.equal(response.status, 200, await response.clone().text());
      token = ((await response.json()) as { refresh_token: string }).refresh_token;
    }
    const limited = await refresh(token);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After: ${retryAfter}`);
    assert.equal(await oauthError(limited, 429), 'temporarily_unavailable');
    assert.equal((await refresh(await tokensOf())).status, 200, 'a new family');
  });
});
