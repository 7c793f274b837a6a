import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { readForm, startAuthorizationServer, TestBrowser, uniqueSlug, type RunningAuthorizationServer } from '../support/index.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'https://shop.example.test/callback';
const PAYMENT_SCHEMA = {
  type: 'object',
  required: ['type', 'instructedAmount', 'creditorName'],
  properties: {
    type: { const: 'payment_initiation' },
    instructedAmount: {
      type: 'object',
      required: ['currency', 'amount'],
      properties: { currency: { type: 'string', pattern: '^[A-Z]{3}$' }, amount: { type: 'string', pattern: '^\\d+\\.\\d{2}$' } },
    },
    creditorName: { type: 'string', maxLength: 70 },
  },
};
const ACCOUNT_SCHEMA = { type: 'object', required: ['type'], properties: { type: { const: 'account_information' } } };
const PAYMENT = { type: 'payment_initiation', instructedAmount: { currency: 'EUR', amount: '123.50' }, creditorName: 'Merchant <A> & Co' };

/** RFC 9396 rich authorization requests end to end (issue 15). */
describe('rich authorization requests (RFC 9396)', { skip: !process.env['DATABASE_URL'] && 'needs DATABASE_URL' }, () => {
  let server: RunningAuthorizationServer;
  const slug = uniqueSlug('rar');
  const plainSlug = uniqueSlug('norar');
  let shop: { clientId: string; secret: string };
  let machine: { clientId: string; secret: string };
  let plainClient: string;
  let paymentsOnly: string;
  let accountsMachine: { clientId: string; secret: string };

  before(async () => {
    server = await startAuthorizationServer();
    const { admin } = server;
    await admin.tenants.create(slug);
    await admin.tenants.create(plainSlug);
    const tenant = await admin.tenants.get(slug);
    await admin.tenants.update(slug, tenant, {
      authorizationDetailsTypes: { payment_initiation: PAYMENT_SCHEMA, account_information: ACCOUNT_SCHEMA },
    });
    const plain = await admin.tenants.get(plainSlug);
    await admin.tenants.update(plainSlug, plain, { pushedAuthorizationRequests: 'enabled' });
    const current = await admin.tenants.get(slug);
    await admin.tenants.update(slug, current, { pushedAuthorizationRequests: 'enabled' });
    await admin.users.create({ tenant: slug, username: 'alice', password: PASSWORD });
    const created = await admin.clients.create({
      tenant: slug,
      name: 'Shop',
      firstParty: true,
      redirectUris: [REDIRECT_URI],
      grantTypes: ['authorization_code', 'refresh_token'],
      scope: 'openid offline_access',
    });
    shop = { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
    const backend = await admin.clients.create({ tenant: slug, name: 'Backend', grantTypes: ['client_credentials'], scope: 'payments' });
    machine = { clientId: backend.client.clientId, secret: backend.clientSecret ?? '' };
    paymentsOnly = (
      await admin.clients.create({
        tenant: slug,
        name: 'Payments only',
        redirectUris: [REDIRECT_URI],
        scope: 'openid',
        authorizationDetailsTypes: ['payment_initiation'],
      })
    ).client.clientId;
    const accounts = await admin.clients.create({
      tenant: slug,
      name: 'Accounts backend',
      grantTypes: ['client_credentials'],
      scope: 'payments',
      authorizationDetailsTypes: ['account_information'],
    });
    accountsMachine = { clientId: accounts.client.clientId, secret: accounts.clientSecret ?? '' };
    plainClient = (await admin.clients.create({ tenant: plainSlug, name: 'Plain', redirectUris: [REDIRECT_URI], scope: 'openid' })).client
      .clientId;
  });
  after(async () => server?.close());

  const basic = (client: { clientId: string; secret: string }) =>
    `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`;
  const post = (url: string, fields: Record<string, string>, client?: { clientId: string; secret: string }) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(client ? { authorization: basic(client) } : {}) },
      body: new URLSearchParams(fields),
      redirect: 'manual',
    });
  const pkce = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };

  function authorizeUrl(tenant: string, clientId: string, challenge: string, details?: unknown): string {
    const query = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid offline_access',
      state: 'st',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...(details === undefined ? {} : { authorization_details: typeof details === 'string' ? details : JSON.stringify(details) }),
    });
    return `${server.issuer(tenant)}/authorize?${query.toString()}`;
  }

  /** Signs alice in from an authorize URL; returns the consent page's HTML and a function to allow it. */
  async function toConsent(url: string): Promise<{ html: string; allow(): Promise<URL> }> {
    const browser = new TestBrowser();
    const started = await browser.follow(await browser.get(url), server.origin);
    const loginForm = readForm(await started.response.text(), started.url);
    const signedIn = await browser.follow(
      await browser.postForm(loginForm.action, { ...loginForm.hidden, username: 'alice', password: PASSWORD }),
      server.origin,
    );
    const html = await signedIn.response.text();
    return {
      html,
      async allow() {
        const form = readForm(html, signedIn.url);
        const done = await browser.follow(await browser.postForm(form.action, { ...form.hidden, decision: 'allow' }), server.origin);
        return new URL(done.url);
      },
    };
  }

  it('a code flow with authorization_details: shown at consent (even for a first-party client), carried by the tokens, introspection and refresh', async () => {
    const { verifier, challenge } = pkce();
    const consent = await toConsent(authorizeUrl(slug, shop.clientId, challenge, [PAYMENT]));
    assert.match(consent.html, /payment_initiation/);
    assert.match(consent.html, /123\.50/);
    assert.match(consent.html, /Merchant &lt;A&gt; &amp; Co/, 'the details are escaped');
    const callback = await consent.allow();
    const code = callback.searchParams.get('code') ?? '';
    assert.ok(code, callback.toString());

    const exchanged = await post(
      `${server.issuer(slug)}/token`,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier },
      shop,
    );
    assert.equal(exchanged.status, 200);
    const tokens = (await exchanged.json()) as { access_token: string; refresh_token: string; authorization_details: unknown };
    assert.deepEqual(tokens.authorization_details, [PAYMENT]);
    assert.deepEqual(decodeJwt(tokens.access_token)['authorization_details'], [PAYMENT]);

    const introspected = (await (await post(`${server.issuer(slug)}/introspect`, { token: tokens.access_token }, shop)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(introspected['active'], true);
    assert.deepEqual(introspected['authorization_details'], [PAYMENT]);

    const refreshed = await post(
      `${server.issuer(slug)}/token`,
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
      shop,
    );
    assert.equal(refreshed.status, 200);
    const again = (await refreshed.json()) as { access_token: string; authorization_details: unknown };
    assert.deepEqual(again.authorization_details, [PAYMENT]);
    assert.deepEqual(decodeJwt(again.access_token)['authorization_details'], [PAYMENT]);
  });

  it('a refresh or a code exchange issues the details only while the tenant still accepts them (a dropped type or a changed schema refuses it, nothing spent); a refresh may narrow them, not widen', async () => {
    const { admin } = server;
    const dropSlug = uniqueSlug('rardrop');
    await admin.tenants.create(dropSlug);
    const setTypes = async (types: Record<string, unknown>) =>
      admin.tenants.update(dropSlug, await admin.tenants.get(dropSlug), { authorizationDetailsTypes: types });
    await setTypes({ payment_initiation: PAYMENT_SCHEMA, account_information: ACCOUNT_SCHEMA });
    await admin.users.create({ tenant: dropSlug, username: 'alice', password: PASSWORD });
    const created = await admin.clients.create({
      tenant: dropSlug,
      name: 'Shop',
      firstParty: true,
      redirectUris: [REDIRECT_URI],
      grantTypes: ['authorization_code', 'refresh_token'],
      scope: 'openid offline_access',
    });
    const client = { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
    const { verifier, challenge } = pkce();
    const callback = await (await toConsent(authorizeUrl(dropSlug, client.clientId, challenge, [PAYMENT]))).allow();
    const exchanged = await post(
      `${server.issuer(dropSlug)}/token`,
      {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      },
      client,
    );
    assert.equal(exchanged.status, 200);
    const refresh = async (token: string) =>
      post(`${server.issuer(dropSlug)}/token`, { grant_type: 'refresh_token', refresh_token: token }, client);
    const first = await refresh(((await exchanged.json()) as { refresh_token: string }).refresh_token);
    assert.equal(first.status, 200, 'control: refreshed while the type is registered');
    const current = ((await first.json()) as { refresh_token: string }).refresh_token;

    await setTypes({ account_information: ACCOUNT_SCHEMA });
    const dropped = await refresh(current);
    assert.equal(dropped.status, 400);
    const refusal = (await dropped.json()) as Record<string, unknown>;
    assert.equal(refusal['error'], 'invalid_grant');
    assert.equal(refusal['access_token'], undefined);

    // The stored detail no longer matches the type's schema (a creditor name of at most 5 characters).
    const stricter = { ...PAYMENT_SCHEMA, properties: { ...PAYMENT_SCHEMA.properties, creditorName: { type: 'string', maxLength: 5 } } };
    await setTypes({ payment_initiation: stricter, account_information: ACCOUNT_SCHEMA });
    assert.equal(((await (await refresh(current)).json()) as { error: string }).error, 'invalid_grant');

    // The refusals spent nothing and revoked nothing: with the type as it was, the same refresh token works.
    await setTypes({ payment_initiation: PAYMENT_SCHEMA, account_information: ACCOUNT_SCHEMA });
    // RFC 9396 §6: a refresh may ask for a subset of what was granted, never for more (refused, nothing spent).
    const widened = await post(
      `${server.issuer(dropSlug)}/token`,
      { grant_type: 'refresh_token', refresh_token: current, authorization_details: JSON.stringify([{ type: 'account_information' }]) },
      client,
    );
    assert.equal(widened.status, 400);
    assert.equal(((await widened.json()) as { error: string }).error, 'invalid_authorization_details');
    const restored = await post(
      `${server.issuer(dropSlug)}/token`,
      { grant_type: 'refresh_token', refresh_token: current, authorization_details: JSON.stringify([PAYMENT]) },
      client,
    );
    assert.equal(restored.status, 200, await restored.clone().text());
    const narrowed = (await restored.json()) as { access_token: string; authorization_details: unknown };
    assert.deepEqual(narrowed.authorization_details, [PAYMENT]);
    assert.deepEqual(decodeJwt(narrowed.access_token)['authorization_details'], [PAYMENT]);

    // A code whose type was dropped between /authorize and the exchange is refused there too.
    const second = pkce();
    const approved = await (await toConsent(authorizeUrl(dropSlug, client.clientId, second.challenge, [PAYMENT]))).allow();
    await setTypes({ account_information: ACCOUNT_SCHEMA });
    const late = await post(
      `${server.issuer(dropSlug)}/token`,
      {
        grant_type: 'authorization_code',
        code: approved.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        code_verifier: second.verifier,
      },
      client,
    );
    assert.equal(late.status, 400);
    assert.equal(((await late.json()) as { error: string }).error, 'invalid_grant');
  });

  it('through PAR, and the token request may not widen what was granted (§6.1)', async () => {
    const { verifier, challenge } = pkce();
    const pushed = await post(
      `${server.issuer(slug)}/par`,
      {
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        authorization_details: JSON.stringify([PAYMENT]),
      },
      shop,
    );
    assert.equal(pushed.status, 201);
    const { request_uri } = (await pushed.json()) as { request_uri: string };
    const consent = await toConsent(
      `${server.issuer(slug)}/authorize?${new URLSearchParams({ client_id: shop.clientId, request_uri }).toString()}`,
    );
    assert.match(consent.html, /payment_initiation/);
    const code = (await consent.allow()).searchParams.get('code') ?? '';
    const wider = { ...PAYMENT, instructedAmount: { currency: 'EUR', amount: '9999.00' } };
    const refused = await post(
      `${server.issuer(slug)}/token`,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        authorization_details: JSON.stringify([wider]),
      },
      shop,
    );
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: string }).error, 'invalid_authorization_details');
  });

  it('an unknown type, an object its schema refuses, and malformed JSON go back to the client as invalid_authorization_details', async () => {
    const { challenge } = pkce();
    for (const details of [
      [{ type: 'loans' }],
      [{ ...PAYMENT, instructedAmount: { currency: 'euro', amount: 12 } }],
      '{"type": "payment_initiation"}',
      'not json',
      [],
    ]) {
      const response = await fetch(authorizeUrl(slug, shop.clientId, challenge, details), { redirect: 'manual' });
      assert.equal(response.status, 303, JSON.stringify(details));
      const location = new URL(response.headers.get('location') ?? '');
      assert.equal(location.origin + location.pathname, REDIRECT_URI);
      assert.equal(location.searchParams.get('error'), 'invalid_authorization_details', JSON.stringify(details));
      assert.equal(location.searchParams.get('state'), 'st');
    }
    const oversized = await post(
      `${server.issuer(slug)}/par`,
      {
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        authorization_details: JSON.stringify([{ ...PAYMENT, creditorName: 'x'.repeat(9000) }]),
      },
      shop,
    );
    assert.equal(oversized.status, 400);
    assert.equal(((await oversized.json()) as { error: string }).error, 'invalid_authorization_details');
  });

  it('a tenant with no registered types refuses them and does not advertise them; the other advertises its types', async () => {
    const { challenge } = pkce();
    const response = await fetch(authorizeUrl(plainSlug, plainClient, challenge, [PAYMENT]), { redirect: 'manual' });
    assert.equal(new URL(response.headers.get('location') ?? '').searchParams.get('error'), 'invalid_authorization_details');
    const plain = (await (await fetch(`${server.issuer(plainSlug)}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(plain['authorization_details_types_supported'], undefined);
    const rar = (await (await fetch(`${server.issuer(slug)}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.deepEqual(rar['authorization_details_types_supported'], ['payment_initiation', 'account_information']);
  });

  it('client_credentials with authorization_details: validated, then in the token; refused when invalid', async () => {
    const ok = await post(
      `${server.issuer(slug)}/token`,
      { grant_type: 'client_credentials', authorization_details: JSON.stringify([PAYMENT]) },
      machine,
    );
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as { access_token: string; authorization_details: unknown };
    assert.deepEqual(body.authorization_details, [PAYMENT]);
    assert.deepEqual(decodeJwt(body.access_token)['authorization_details'], [PAYMENT]);
    const bad = await post(
      `${server.issuer(slug)}/token`,
      { grant_type: 'client_credentials', authorization_details: JSON.stringify([{ type: 'payment_initiation' }]) },
      machine,
    );
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, 'invalid_authorization_details');
  });

  it('a relying-party library (oauth4webapi) pushes authorization_details, and reads them from the token response', async () => {
    const insecure = { [oauth.allowInsecureRequests]: true };
    const issuer = new URL(server.issuer(slug));
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    assert.ok(as.authorization_endpoint);
    const client: oauth.Client = { client_id: shop.clientId };
    const auth = oauth.ClientSecretBasic(shop.secret);
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const pushed = await oauth.processPushedAuthorizationResponse(
      as,
      client,
      await oauth.pushedAuthorizationRequest(
        as,
        client,
        auth,
        {
          response_type: 'code',
          redirect_uri: REDIRECT_URI,
          scope: 'openid',
          state,
          code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          authorization_details: JSON.stringify([PAYMENT]),
        },
        insecure,
      ),
    );
    const authorize = new URL(as.authorization_endpoint);
    authorize.search = new URLSearchParams({ client_id: shop.clientId, request_uri: pushed.request_uri }).toString();
    const consent = await toConsent(authorize.toString());
    assert.match(consent.html, /Merchant &lt;A&gt; &amp; Co/);
    const params = oauth.validateAuthResponse(as, client, await consent.allow(), state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT_URI, verifier, insecure),
    );
    assert.deepEqual(tokens.authorization_details, [PAYMENT]);
    assert.equal(oauth.getValidatedIdTokenClaims(tokens)?.aud, shop.clientId);
    assert.deepEqual(decodeJwt(tokens.access_token)['authorization_details'], [PAYMENT]);
  });

  it("a client's authorization_details_types (RFC 9396 §10) limit what it may ask for, at /authorize and at the token endpoint", async () => {
    const { challenge } = pkce();
    const refused = await fetch(authorizeUrl(slug, paymentsOnly, challenge, [{ type: 'account_information' }]), { redirect: 'manual' });
    assert.equal(refused.status, 303, await refused.clone().text());
    const location = new URL(refused.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('error'), 'invalid_authorization_details');
    assert.match(location.searchParams.get('error_description') ?? '', /may not request authorization details of type account_information/);
    const allowed = await fetch(authorizeUrl(slug, paymentsOnly, challenge, [PAYMENT]), { redirect: 'manual' });
    assert.equal(allowed.status, 303);
    const next = new URL(allowed.headers.get('location') ?? '', server.origin);
    assert.notEqual(next.origin + next.pathname, REDIRECT_URI, 'its own type goes on to sign-in, not back with an error');

    const other = await post(
      `${server.issuer(slug)}/token`,
      { grant_type: 'client_credentials', authorization_details: JSON.stringify([PAYMENT]) },
      accountsMachine,
    );
    assert.equal(other.status, 400);
    assert.equal(((await other.json()) as { error: string }).error, 'invalid_authorization_details');
    const own = await post(
      `${server.issuer(slug)}/token`,
      { grant_type: 'client_credentials', authorization_details: JSON.stringify([{ type: 'account_information' }]) },
      accountsMachine,
    );
    assert.equal(own.status, 200);
  });

  it('the admin API refuses a client type the tenant did not register, and shows and changes the list', async () => {
    const { admin } = server;
    await assert.rejects(
      admin.clients.create({ tenant: slug, name: 'Wrong', grantTypes: ['client_credentials'], authorizationDetailsTypes: ['loans'] }),
      /authorization details type "loans" is not registered; registered: payment_initiation, account_information/,
    );
    await assert.rejects(
      admin.clients.create({
        tenant: plainSlug,
        name: 'None',
        grantTypes: ['client_credentials'],
        authorizationDetailsTypes: ['payment_initiation'],
      }),
      /registers no authorization details types/,
    );
    const shown = await admin.clients.get(slug, paymentsOnly);
    assert.deepEqual(shown.authorizationDetailsTypes, ['payment_initiation']);
  });

  it('the admin API refuses a schema that does not compile and a bad type name', async () => {
    const tenant = await server.admin.tenants.get(slug);
    await assert.rejects(
      server.admin.tenants.update(slug, tenant, { authorizationDetailsTypes: { payment_initiation: { type: 'no-such-type' } } }),
      /not a valid JSON Schema/,
    );
    await assert.rejects(server.admin.tenants.update(slug, tenant, { authorizationDetailsTypes: { 'bad name!': {} } }), /type name/);
  });
});
