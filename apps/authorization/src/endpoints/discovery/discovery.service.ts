import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { Inject, Injectable } from '@nestjs/common';
import type { GatehouseConfig } from '@gatehouse/config';
import { requiredAlgorithms, isSigningAlgorithm } from '@gatehouse/tokens';
import {
  ACR_VALUES_SUPPORTED,
  CLIENT_ASSERTION_ALGORITHMS,
  DPOP_ALGORITHMS,
  FAPI2_CLIENT_AUTH_METHODS,
  FAPI2_SIGNING_ALGORITHMS,
  isFapi2Algorithm,
  SYSTEM_TENANT,
  TOKEN_ENDPOINT_AUTH_METHODS,
  issuerFor,
  resolveDpopPolicy,
} from '@gatehouse/protocol';
import { ApiCache } from '../../tenancy/api-cache.js';
import { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { GrantHandlers } from '../token/grants/grant-handlers.js';
import { isFapi2 } from '../../tenancy/security-profile.js';
import { PROMPT_VALUES_SUPPORTED } from '../authorize/checks/check-prompt.js';
import { LOCALES } from '../../interaction/i18n/index.js';
import { STANDARD_CLAIMS, STANDARD_SCOPES } from '../userinfo/claims.js';
import { authorizationRequestMetadata } from './authorization-request-metadata.js';

/** RFC 8705 §2: the two certificate methods are advertised only where the tenant has mTLS on. */
const WITHOUT_MTLS = TOKEN_ENDPOINT_AUTH_METHODS.filter((method) => !method.includes('tls_client_auth'));

/** RFC 8414 §2 / OpenID Connect Discovery 1.0 §3 metadata for one tenant (issuer). */
@Injectable()
export class DiscoveryService {
  constructor(
    private readonly directory: TenantDirectory,
    private readonly apis: ApiCache,
    @Inject(GATEHOUSE_CONFIG) private readonly config: GatehouseConfig,
    private readonly grants: GrantHandlers,
  ) {}

  async metadata(slug: string): Promise<Record<string, unknown>> {
    const tenant = await this.directory.tenant(slug);
    const issuer = this.directory.issuer(tenant);
    // The token endpoint's API cache: an admin change to an API drops the tenant's entry (config-change channel).
    const apiScopes = await this.apis.scopes(tenant.id);
    const fapi2 = isFapi2(tenant);
    const tenantAlgs = isSigningAlgorithm(tenant.accessTokenAlg) ? requiredAlgorithms(tenant.accessTokenAlg) : ['RS256'];
    const allMethods = tenant.mtlsEnabled ? [...TOKEN_ENDPOINT_AUTH_METHODS] : WITHOUT_MTLS;
    // FAPI 2.0 (docs/adr/0020): only what the profile allows is advertised.
    const authMethods = fapi2
      ? allMethods.filter((method) => (FAPI2_CLIENT_AUTH_METHODS as readonly string[]).includes(method))
      : allMethods;
    const clientAlgs = fapi2 ? [...FAPI2_SIGNING_ALGORITHMS] : undefined;
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      jwks_uri: `${issuer}/jwks`,
      introspection_endpoint: `${issuer}/introspect`,
      revocation_endpoint: `${issuer}/revoke`,
      end_session_endpoint: `${issuer}/logout`,
      // Registration is closed in the system tenant (issue 10): not advertised there.
      ...(tenant.slug === SYSTEM_TENANT ? {} : { registration_endpoint: `${issuer}/register` }),
      scopes_supported: [...new Set([...STANDARD_SCOPES, ...apiScopes])],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      // RFC 8628 §4: the device grant only where the tenant has it on.
      grant_types_supported: this.grants.supportedBy(tenant),
      ...(tenant.deviceAuthorization.enabled ? { device_authorization_endpoint: `${issuer}/device_authorization` } : {}),
      // RFC 9396 §10: only where the tenant registered types.
      ...(Object.keys(tenant.authorizationDetailsTypes).length > 0
        ? { authorization_details_types_supported: Object.keys(tenant.authorizationDetailsTypes) }
        : {}),
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: fapi2 ? tenantAlgs.filter(isFapi2Algorithm) : tenantAlgs,
      token_endpoint_auth_methods_supported: authMethods,
      token_endpoint_auth_signing_alg_values_supported: clientAlgs ?? [...CLIENT_ASSERTION_ALGORITHMS],
      introspection_endpoint_auth_methods_supported: authMethods.filter((method) => method !== 'none'),
      revocation_endpoint_auth_methods_supported: authMethods,
      code_challenge_methods_supported: ['S256'],
      claims_supported: STANDARD_CLAIMS,
      acr_values_supported: [...ACR_VALUES_SUPPORTED],
      prompt_values_supported: [...PROMPT_VALUES_SUPPORTED],
      // OIDC Discovery 1.0 §3: the languages the sign-in pages speak (ui_locales).
      ui_locales_supported: [...LOCALES],
      authorization_response_iss_parameter_supported: true,
      claims_parameter_supported: false,
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
      ...(fapi2 ? { security_profile: 'fapi2' } : {}),
      // Pushed authorization requests and request objects (RFC 9126, RFC 9101), per tenant.
      ...authorizationRequestMetadata(tenant, issuer, clientAlgs),
      // RFC 9449 §5.1: only where the tenant has DPoP on.
      ...(resolveDpopPolicy(tenant.dpopPolicy).enabled ? { dpop_signing_alg_values_supported: clientAlgs ?? [...DPOP_ALGORITHMS] } : {}),
      // RFC 8705 §3.3 and §5: only where the tenant has mTLS on.
      ...(tenant.mtlsEnabled
        ? mutualTlsMetadata(this.config.mtls.publicUrl, tenant.slug, tenant.pushedAuthorizationRequests !== 'disabled')
        : {}),
    };
  }
}

/** RFC 8705 §3.3 and §5: bound tokens, and the endpoints' mTLS origin when MTLS_PUBLIC_URL is set. */
function mutualTlsMetadata(mtlsOrigin: string | undefined, slug: string, par: boolean): Record<string, unknown> {
  const base = mtlsOrigin === undefined ? undefined : issuerFor(mtlsOrigin, slug);
  return {
    tls_client_certificate_bound_access_tokens: true,
    ...(base === undefined
      ? {}
      : {
          mtls_endpoint_aliases: {
            token_endpoint: `${base}/token`,
            introspection_endpoint: `${base}/introspect`,
            revocation_endpoint: `${base}/revoke`,
            ...(par ? { pushed_authorization_request_endpoint: `${base}/par` } : {}),
            userinfo_endpoint: `${base}/userinfo`,
          },
        }),
  };
}
