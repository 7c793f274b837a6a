import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import * as oauth from 'oauth4webapi';
import type { AuthorizationRequestMode } from '@gatehouse/persistence';
import { uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { PASSWORD, REDIRECT_URI } from './code-flow.fixture.js';

export const insecure = { [oauth.allowInsecureRequests]: true } as const;

export interface RequestClient {
  readonly client: oauth.Client;
  readonly auth: oauth.ClientAuth;
  readonly secret: string;
}

export interface PushedRequestsFixture {
  readonly tenant: string;
  readonly issuer: string;
  readonly as: oauth.AuthorizationServer;
  /** Confidential; signs request objects with `key` (ES256). */
  readonly web: RequestClient;
  readonly key: CryptoKey;
  /** Confidential; no keys. */
  readonly other: RequestClient;
  /** Public (auth method none). */
  readonly spa: RequestClient;
  /** Confidential; require_pushed_authorization_requests. */
  readonly pushedOnly: RequestClient;
  /** Confidential; require_signed_request_object (signs with `key` too). */
  readonly signedOnly: RequestClient;
}

/**
 * A tenant with the given PAR and request object modes, a user and four confidential clients.
 * The sign-in limits are raised: these suites sign the same user in many times a minute.
 */
export async function createPushedRequestsFixture(
  server: RunningAuthorizationServer,
  modes: { par: AuthorizationRequestMode; jar: AuthorizationRequestMode; parLifetimeSeconds?: number },
): Promise<PushedRequestsFixture> {
  const tenant = uniqueSlug('par');
  const { admin } = server;
  await admin.tenants.create(tenant, 'Pushed Corp');
  await admin.tenants.update(tenant, await admin.tenants.get(tenant), {
    pushedAuthorizationRequests: modes.par,
    requestObjects: modes.jar,
    ...(modes.parLifetimeSeconds === undefined ? {} : { parLifetimeSeconds: modes.parLifetimeSeconds }),
    rateLimitPolicy: { codeExchangesPerClientIpPerMinute: 10_000, authorizeRequestsPerClientIpPerHour: 100_000 },
  });
  await admin.users.create({ tenant, username: 'alice', email: 'alice@example.com', password: PASSWORD });
  const pair = await generateKeyPair('ES256', { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'request-key', alg: 'ES256' }] };
  const base = { tenant, redirectUris: [REDIRECT_URI], scope: 'openid profile email', firstParty: true };
  const create = async (name: string, extra: Record<string, unknown> = {}): Promise<RequestClient> => {
    const created = await admin.clients.create({ ...base, name, ...extra });
    const secret = created.clientSecret ?? '';
    return { client: { client_id: created.client.clientId }, auth: secret ? oauth.ClientSecretBasic(secret) : oauth.None(), secret };
  };
  const web = await create('Web App', { jwks, requestObjectSigningAlg: 'ES256' });
  const other = await create('Other App');
  const pushedOnly = await create('Pushed Only', { requirePushedAuthorizationRequests: true });
  const signedOnly = await create('Signed Only', { jwks, requireSignedRequestObject: true });
  const spa = await create('SPA', { public: true, firstParty: false });

  const issuer = server.issuer(tenant);
  const as = await oauth.processDiscoveryResponse(new URL(issuer), await oauth.discoveryRequest(new URL(issuer), insecure));
  return { tenant, issuer, as, web, key: pair.privateKey, other, spa, pushedOnly, signedOnly };
}

/** The authorization request parameters a client would push or sign, with a fresh PKCE pair. */
export async function authorizationParams(state = oauth.generateRandomState()) {
  const verifier = oauth.generateRandomCodeVerifier();
  const params: Record<string, string> = {
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile',
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  };
  return { params, verifier, state };
}

/** /authorize with only client_id and the given parameters (a request_uri or a request object). */
export function authorizeWith(fixture: PushedRequestsFixture, clientId: string, params: Record<string, string>): string {
  const url = new URL(fixture.as.authorization_endpoint ?? '');
  url.searchParams.set('client_id', clientId);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}
