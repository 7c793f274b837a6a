/** JWS algorithms a tenant may sign with. RS256 is always present: OIDC Discovery requires it for ID tokens. */
export const SIGNING_ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export const ID_TOKEN_DEFAULT_ALGORITHM: SigningAlgorithm = 'RS256';

export function isSigningAlgorithm(value: string): value is SigningAlgorithm {
  return (SIGNING_ALGORITHMS as readonly string[]).includes(value);
}

/** The algorithms a tenant needs keys for: its access-token algorithm plus RS256. */
export function requiredAlgorithms(accessTokenAlgorithm: SigningAlgorithm): SigningAlgorithm[] {
  return [...new Set<SigningAlgorithm>([accessTokenAlgorithm, ID_TOKEN_DEFAULT_ALGORITHM])];
}

/** The algorithm a tenant's access tokens are signed with; RS256 if the stored value is unusable. */
export function accessTokenAlgorithm(tenantAlgorithm: string): SigningAlgorithm {
  return isSigningAlgorithm(tenantAlgorithm) ? tenantAlgorithm : ID_TOKEN_DEFAULT_ALGORITHM;
}

/** OIDC Registration `id_token_signed_response_alg`, RS256 when the client registered none. */
export function idTokenAlgorithm(clientAlgorithm: string | null): SigningAlgorithm {
  return clientAlgorithm && isSigningAlgorithm(clientAlgorithm) ? clientAlgorithm : ID_TOKEN_DEFAULT_ALGORITHM;
}
