import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import { TestBrowser, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { PASSWORD, REDIRECT_URI, signIn } from '../flow/code-flow.fixture.js';

export const POST_LOGOUT_URI = 'https://client.example.test/signed-out';
const insecure = { [oauth.allowInsecureRequests]: true } as const;

export interface LogoutClient {
  readonly client: oauth.Client;
  readonly secret: string;
}

export interface LogoutFixture {
  readonly tenant: string;
  readonly tenantId: string;
  readonly issuer: string;
  readonly as: oauth.AuthorizationServer;
  /** A confidential client with a post-logout redirect URI and a back-channel logout URI. */
  readonly web: LogoutClient;
  /** Another client of the tenant, with neither. */
  readonly other: LogoutClient;
}

/** A tenant with the user alice and two clients; the web client's back-channel notices go to `backchannelUri`. */
export async function createLogoutFixture(server: RunningAuthorizationServer, backchannelUri: string): Promise<LogoutFixture> {
  const tenant = uniqueSlug('logout');
  const { admin } = server;
  await admin.tenants.create(tenant, 'Logout Corp');
  // Alice signs in to the same client many times a minute here, more than one person may (docs/adr/0009).
  const created = await admin.tenants.get(tenant);
  await server.infrastructure.persistence.repositories.tenants.updateIfUnchanged(created.id, created.updatedAt, {
    rateLimitPolicy: { codeExchangesPerClientUserPerMinute: 1_000, codeExchangesPerClientIpPerMinute: 1_000 },
  });
  await admin.users.create({ tenant, username: 'alice', email: 'alice@example.com', password: PASSWORD });
  const web = await addClient(server, tenant, 'Web App', backchannelUri);
  const other = await admin.clients.create({ tenant, name: 'Other App', redirectUris: [REDIRECT_URI], scope: 'openid profile' });
  const stored = await server.infrastructure.persistence.repositories.tenants.findBySlug(tenant);
  assert.ok(stored);
  const issuer = server.issuer(tenant);
  const as = await oauth.processDiscoveryResponse(new URL(issuer), await oauth.discoveryRequest(new URL(issuer), insecure));
  return {
    tenant,
    tenantId: stored.id,
    issuer,
    as,
    web,
    other: { client: { client_id: other.client.clientId }, secret: other.clientSecret ?? '' },
  };
}

/** A first-party client that returns to POST_LOGOUT_URI and is told of logouts at `backchannelUri`. */
export async function addClient(
  server: RunningAuthorizationServer,
  tenant: string,
  name: string,
  backchannelUri: string,
): Promise<LogoutClient> {
  const created = await server.admin.clients.create({
    tenant,
    name,
    redirectUris: [REDIRECT_URI],
    scope: 'openid profile email',
    firstParty: true,
    postLogoutRedirectUris: [POST_LOGOUT_URI],
    backchannelLogoutUri: backchannelUri,
  });
  return { client: { client_id: created.client.clientId }, secret: created.clientSecret ?? '' };
}

/** An /authorize URL for `clientId` (PKCE, no nonce): where a test looks for a login page. */
export async function authorizeUrl(fixture: LogoutFixture, clientId: string, state = oauth.generateRandomState()): Promise<string> {
  const url = new URL(fixture.as.authorization_endpoint ?? '');
  for (const [name, value] of Object.entries({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile',
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
    code_challenge_method: 'S256',
  })) {
    url.searchParams.set(name, value);
  }
  return url.toString();
}

/**
 * The code flow in `browser` (signing in when it has no session) up to the tokens; returns the
 * ID token and its validated claims.
 */
export async function obtainIdToken(
  fixture: LogoutFixture,
  origin: string,
  { client, secret }: LogoutClient,
  browser = new TestBrowser(),
): Promise<{ browser: TestBrowser; idToken: string; claims: oauth.IDToken; pages: string[] }> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(fixture.as.authorization_endpoint ?? '');
  for (const [name, value] of Object.entries({
    client_id: client.client_id,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile',
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  })) {
    url.searchParams.set(name, value);
  }
  const { landedAt, pages } = await signIn(browser, origin, url.toString());
  assert.ok(landedAt.startsWith(REDIRECT_URI), `landed at ${landedAt}`);
  const callback = oauth.validateAuthResponse(fixture.as, client, new URL(landedAt), state);
  const auth = oauth.ClientSecretBasic(secret);
  const response = await oauth.authorizationCodeGrantRequest(fixture.as, client, auth, callback, REDIRECT_URI, verifier, insecure);
  const tokens = await oauth.processAuthorizationCodeResponse(fixture.as, client, response, { expectedNonce: nonce, requireIdToken: true });
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  assert.ok(claims && tokens.id_token);
  return { browser, idToken: tokens.id_token, claims, pages };
}
