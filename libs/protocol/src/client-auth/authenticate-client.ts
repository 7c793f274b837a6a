import { createLocalJWKSet, jwtVerify } from 'jose';
import { InvalidClient } from '../errors/index.js';
import type { PresentedClientAuth } from './presented-client-auth.js';
import type { AssertionReplayStore } from './replay-store.js';

export interface AuthenticatableClient {
  readonly clientId: string;
  readonly tokenEndpointAuthMethod: PresentedClientAuth['method'];
  /** The current secret's hash and, during a rotation's grace period, the previous one's. */
  readonly secretHashes: readonly string[];
  readonly jwks: { keys: Record<string, unknown>[] } | null;
}

export interface ClientAuthContext {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly acceptTokenEndpointAudience: boolean;
  readonly now: () => Date;
  readonly verifySecret: (secret: string, storedHash: string) => boolean;
  readonly replay: AssertionReplayStore;
  readonly maxAssertionLifetimeSeconds?: number;
  readonly clockSkewSeconds?: number;
}

/** Asymmetric only: a shared-secret JWT (HS*) would need the secret stored reversibly. */
const ASSERTION_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Verifies the presented credentials against the registered client; any failure is invalid_client. */
export async function authenticateClient(
  presented: PresentedClientAuth,
  client: AuthenticatableClient,
  context: ClientAuthContext,
): Promise<void> {
  const basic = presented.method === 'client_secret_basic';
  const refuse = (cause: string): never => {
    throw new InvalidClient({ basic, cause });
  };
  if (presented.clientId !== client.clientId) refuse('client_id mismatch');
  if (presented.method !== client.tokenEndpointAuthMethod)
    refuse(`registered for ${client.tokenEndpointAuthMethod}, presented ${presented.method}`);

  switch (presented.method) {
    case 'none':
      return;
    case 'client_secret_basic':
    case 'client_secret_post': {
      // Check every stored hash, so timing does not reveal which one matched.
      const matches = client.secretHashes.map((hash) => context.verifySecret(presented.clientSecret, hash));
      if (!matches.includes(true)) refuse('wrong client secret');
      return;
    }
    case 'private_key_jwt':
      await verifyAssertion(presented.assertion, client, context).catch((error: unknown) =>
        refuse(error instanceof Error ? error.message : 'invalid assertion'),
      );
      return;
  }
}

/** RFC 7523 §3, with `aud` the issuer identifier as a single string (draft-ietf-oauth-rfc7523bis, FAPI 2.0). */
async function verifyAssertion(assertion: string, client: AuthenticatableClient, context: ClientAuthContext): Promise<void> {
  if (!client.jwks) throw new Error('the client has no registered keys');
  const now = context.now();
  const skew = context.clockSkewSeconds ?? 30;
  const { payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks), {
    algorithms: ASSERTION_ALGORITHMS,
    issuer: client.clientId,
    subject: client.clientId,
    currentDate: now,
    clockTolerance: skew,
    requiredClaims: ['exp', 'jti', 'aud'],
  });
  const audiences = context.acceptTokenEndpointAudience ? [context.issuer, context.tokenEndpoint] : [context.issuer];
  const aud = payload.aud;
  const audienceOk =
    typeof aud === 'string'
      ? audiences.includes(aud)
      : context.acceptTokenEndpointAudience && Array.isArray(aud) && aud.some((a) => audiences.includes(a));
  if (!audienceOk) throw new Error('assertion audience is not this issuer');
  const exp = payload.exp as number;
  if (exp - now.getTime() / 1000 > (context.maxAssertionLifetimeSeconds ?? 300) + skew) throw new Error('assertion lifetime too long');
  if (typeof payload.jti !== 'string' || payload.jti.length === 0) throw new Error('assertion jti missing');
  if (!(await context.replay.markUsed(client.clientId, payload.jti, new Date(exp * 1000)))) throw new Error('assertion jti replayed');
}
