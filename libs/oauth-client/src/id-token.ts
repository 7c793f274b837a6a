import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { AuthorizationServerMetadata } from './discovery.js';
import { OAuthClientError } from './errors.js';

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/**
 * OIDC Core §3.1.3.7: signature by a key of the issuer's JWKS (an algorithm it advertises), `iss`,
 * `aud` containing the client, `azp` when there are several audiences, `exp`, and the `nonce` sent.
 */
export async function validateIdToken(
  metadata: AuthorizationServerMetadata,
  clientId: string,
  idToken: string,
  expectedNonce: string | undefined,
): Promise<JWTPayload> {
  if (!metadata.jwks_uri) throw new OAuthClientError('invalid_id_token', 'the issuer publishes no jwks_uri');
  let keys = keySets.get(metadata.jwks_uri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(metadata.jwks_uri));
    keySets.set(metadata.jwks_uri, keys);
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keys, {
      issuer: metadata.issuer,
      audience: clientId,
      algorithms: [...(metadata.id_token_signing_alg_values_supported ?? ['RS256'])].filter((alg) => alg !== 'none'),
      clockTolerance: 30,
      requiredClaims: ['sub', 'iat', 'exp'],
    }));
  } catch (error) {
    throw new OAuthClientError('invalid_id_token', error instanceof Error ? error.message : 'the ID token does not verify');
  }
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload['azp'] !== clientId)
    throw new OAuthClientError('invalid_id_token', 'azp is not this client');
  if (payload['nonce'] !== expectedNonce) throw new OAuthClientError('invalid_id_token', 'the nonce does not match the one sent');
  return payload;
}
