import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import { TestBrowser, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { API, authorizeUrl, createCodeFlowFixture, REDIRECT_URI, signIn, type CodeFlowFixture } from '../flow/code-flow.fixture.js';

export interface LifecycleFixture extends CodeFlowFixture {
  /** A confidential client an admin marked as resource server for the Orders API: it may introspect that API's tokens. */
  readonly introspector: { clientId: string; secret: string };
  /** A confidential client that keeps its refresh token (no rotation). */
  readonly steady: { clientId: string; secret: string };
  /** A confidential client for client_credentials. */
  readonly service: { clientId: string; secret: string };
}

export async function createLifecycleFixture(server: RunningAuthorizationServer): Promise<LifecycleFixture> {
  const base = await createCodeFlowFixture(server);
  const { admin } = server;
  const introspector = await admin.clients.create({
    tenant: base.tenant,
    name: 'Orders API',
    grantTypes: ['client_credentials'],
    scope: 'orders:read',
    resourceServerFor: [API],
  });
  const steady = await admin.clients.create({
    tenant: base.tenant,
    name: 'Steady',
    redirectUris: [REDIRECT_URI],
    rotateRefreshTokens: false,
    firstParty: true,
    scope: 'openid offline_access',
  });
  const service = await admin.clients.create({
    tenant: base.tenant,
    name: 'Batch job',
    grantTypes: ['client_credentials'],
    scope: 'orders:read orders:write openid',
  });
  return {
    ...base,
    introspector: { clientId: introspector.client.clientId, secret: introspector.clientSecret ?? '' },
    steady: { clientId: steady.client.clientId, secret: steady.clientSecret ?? '' },
    service: { clientId: service.client.clientId, secret: service.clientSecret ?? '' },
  };
}

export function basic(clientId: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}` };
}

export async function post(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

/** An authorization code for `client` after signing in (PKCE), not yet redeemed; with `resource`, for that API. */
export async function codeFor(
  server: RunningAuthorizationServer,
  fixture: CodeFlowFixture,
  client: { clientId: string },
  scope = 'openid offline_access',
  resource?: string,
): Promise<{ code: string; verifier: string }> {
  const verifier = oauth.generateRandomCodeVerifier();
  const url = authorizeUrl(fixture, {
    clientId: client.clientId,
    scope,
    state: 's',
    codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
    ...(resource ? { resource } : {}),
  });
  const { landedAt } = await signIn(new TestBrowser(), server.origin, url);
  const code = new URL(landedAt).searchParams.get('code');
  assert.ok(code, `no code at ${landedAt}`);
  return { code, verifier };
}

/** The token request for a code, as `client` (public: none; else Basic); the answer, whatever it is. */
export function exchangeCode(
  fixture: CodeFlowFixture,
  client: { clientId: string; secret?: string },
  { code, verifier }: { code: string; verifier: string },
): ReturnType<typeof post> {
  const form: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier };
  const auth = client.secret ? basic(client.clientId, client.secret) : {};
  if (!client.secret) form['client_id'] = client.clientId;
  return post(`${fixture.issuer}/token`, form, auth);
}

/** A refresh_token grant by a public client (the SPA by default). */
export function refreshWith(
  fixture: LifecycleFixture,
  token: string,
  extra: Record<string, string> = {},
  clientId = fixture.spa.client.client_id,
): ReturnType<typeof post> {
  return post(`${fixture.issuer}/token`, { grant_type: 'refresh_token', refresh_token: token, client_id: clientId, ...extra });
}

/**
 * A full code flow for `clientId` (public: none; else Basic) returning the token response;
 * with `resource` the access token is for that API (which the introspector serves).
 */
export async function tokensFor(
  server: RunningAuthorizationServer,
  fixture: CodeFlowFixture,
  client: { clientId: string; secret?: string },
  scope = 'openid offline_access',
  resource?: string,
): Promise<Record<string, unknown>> {
  const response = await exchangeCode(fixture, client, await codeFor(server, fixture, client, scope, resource));
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}
