import type { Client, Tenant } from '@gatehouse/persistence';
import { fapi2ClientProblem, FAPI2_SIGNING_ALGORITHMS, InvalidClient } from '@gatehouse/protocol';
import { accessTokenAlgorithm, idTokenAlgorithm, type SigningAlgorithm } from '@gatehouse/tokens';

/**
 * The tenant as the authorization server applies it: under `fapi2` (FAPI 2.0 Security Profile,
 * docs/adr/0020) pushed authorization requests are required (§5.3.2.2 item 2), DPoP is on (one of the
 * two sender constraints of §5.3.2.1 item 5), and a client assertion's audience is the issuer alone
 * (§5.3.2.1 item 8; the token-endpoint allowance is dropped). Applied once where the tenant is loaded,
 * so every check that reads these settings sees the profile; the stored settings are unchanged and
 * come back when the profile is switched off.
 */
export function withSecurityProfile(tenant: Tenant): Tenant {
  if (tenant.securityProfile !== 'fapi2') return tenant;
  return {
    ...tenant,
    pushedAuthorizationRequests: 'required',
    dpopPolicy: { ...tenant.dpopPolicy, enabled: true },
    acceptTokenEndpointAudience: false,
  };
}

export function isFapi2(tenant: Tenant): boolean {
  return tenant.securityProfile === 'fapi2';
}

/** The JWS algorithms a tenant accepts from clients (assertions, request objects, DPoP proofs); undefined: the defaults. */
export function clientSigningAlgorithms(tenant: Tenant): readonly string[] | undefined {
  return isFapi2(tenant) ? FAPI2_SIGNING_ALGORITHMS : undefined;
}

/**
 * FAPI 2.0 §5.3.2.1 item 6 (confidential clients, private_key_jwt or mTLS) and §5.4.1 (algorithms): a
 * client registered before the tenant switched and outside the profile cannot authenticate (invalid_client).
 */
export function assertClientFitsProfile(tenant: Tenant, client: Client): void {
  if (!isFapi2(tenant)) return;
  const problem = fapi2ClientProblem(client);
  if (problem) throw new InvalidClient({ hint: problem, cause: `security profile fapi2: ${problem}` });
}

/**
 * ID tokens: the client's registered algorithm, else RS256 (OIDC's default) — under fapi2 the tenant's
 * access-token algorithm instead, which the admin API keeps to ES256, PS256 or EdDSA.
 */
export function idTokenAlgorithmFor(tenant: Tenant, client: Client): SigningAlgorithm {
  if (isFapi2(tenant) && client.idTokenSignedResponseAlg === null) return accessTokenAlgorithm(tenant.accessTokenAlg);
  return idTokenAlgorithm(client.idTokenSignedResponseAlg);
}
