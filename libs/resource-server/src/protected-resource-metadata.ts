import { DPOP_ALGORITHMS } from '@gatehouse/protocol';

/** RFC 9728 §2: what a protected resource says about itself. */
export interface ProtectedResourceOptions {
  /** The resource identifier: the audience of its tokens, an https URL (http only on loopback). */
  readonly resource: string;
  /** The issuers whose tokens it accepts. */
  readonly authorizationServers: readonly string[];
  readonly scopesSupported?: readonly string[];
  readonly resourceName?: string;
  readonly resourceDocumentation?: string;
  /** RFC 9449: DPoP-bound tokens are accepted (and with `dpopRequired`, only those). */
  readonly dpop?: boolean;
  readonly dpopRequired?: boolean;
  /** RFC 8705: certificate-bound tokens are checked against the TLS client certificate. */
  readonly certificateBoundTokens?: boolean;
}

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** The metadata document (RFC 9728 §3.2). */
export function protectedResourceMetadata(options: ProtectedResourceOptions): Record<string, unknown> {
  return {
    resource: options.resource,
    authorization_servers: [...options.authorizationServers],
    ...(options.scopesSupported ? { scopes_supported: [...options.scopesSupported] } : {}),
    // RFC 6750 §2.1 only: tokens in a form body or the query are refused.
    bearer_methods_supported: ['header'],
    ...(options.resourceName ? { resource_name: options.resourceName } : {}),
    ...(options.resourceDocumentation ? { resource_documentation: options.resourceDocumentation } : {}),
    ...(options.dpop ? { dpop_signing_alg_values_supported: [...DPOP_ALGORITHMS] } : {}),
    ...(options.dpop && options.dpopRequired ? { dpop_bound_access_tokens_required: true } : {}),
    ...(options.certificateBoundTokens ? { tls_client_certificate_bound_access_tokens: true } : {}),
  };
}

/**
 * RFC 9728 §3.1: the well-known suffix goes between the host and the resource's path
 * (`https://api.example/orders` → `/.well-known/oauth-protected-resource/orders`).
 */
export function protectedResourceMetadataPath(resource: string): string {
  const path = new URL(resource).pathname.replace(/\/+$/, '');
  return `${WELL_KNOWN}${path}`;
}

/** Where clients fetch the metadata, named in every WWW-Authenticate challenge (RFC 9728 §5.1). */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  return `${url.origin}${protectedResourceMetadataPath(resource)}`;
}
