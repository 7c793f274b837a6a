import { OAuthClientError } from './errors.js';

/** RFC 8414 §2 authorization server metadata, the members this client uses. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri?: string;
  readonly userinfo_endpoint?: string;
  readonly revocation_endpoint?: string;
  readonly pushed_authorization_request_endpoint?: string;
  readonly require_pushed_authorization_requests?: boolean;
  readonly authorization_response_iss_parameter_supported?: boolean;
  readonly dpop_signing_alg_values_supported?: readonly string[];
  readonly id_token_signing_alg_values_supported?: readonly string[];
  readonly code_challenge_methods_supported?: readonly string[];
  readonly [member: string]: unknown;
}

interface Cached {
  readonly metadata: Promise<AuthorizationServerMetadata>;
  readonly expiresAt: number;
}

/**
 * Discovery (OpenID Connect Discovery 1.0 §4, RFC 8414 §3) with a cache: one request per issuer
 * per `ttlMs`, concurrent callers sharing it; a failed fetch is not cached.
 */
export class DiscoveryCache {
  private readonly entries = new Map<string, Cached>();

  constructor(private readonly options: { ttlMs?: number; fetch?: typeof fetch; now?: () => number } = {}) {}

  get(issuer: string): Promise<AuthorizationServerMetadata> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.entries.get(issuer);
    if (cached && cached.expiresAt > now) return cached.metadata;
    const metadata = fetchMetadata(issuer, this.options.fetch ?? fetch);
    this.entries.set(issuer, { metadata, expiresAt: now + (this.options.ttlMs ?? 3_600_000) });
    metadata.catch(() => this.entries.delete(issuer));
    return metadata;
  }
}

async function fetchMetadata(issuer: string, fetchImpl: typeof fetch): Promise<AuthorizationServerMetadata> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const response = await fetchImpl(url, { headers: { accept: 'application/json' }, redirect: 'error' });
  if (response.status !== 200) throw new OAuthClientError('invalid_response', `discovery at ${url} answered ${response.status}`);
  const metadata = (await response.json()) as Partial<AuthorizationServerMetadata>;
  // RFC 8414 §3.3 / OIDC Discovery §4.3: the document must name the issuer it was fetched for (mix-up defence).
  if (metadata.issuer !== issuer)
    throw new OAuthClientError('issuer_mismatch', `discovery names issuer ${String(metadata.issuer)}, not ${issuer}`);
  if (typeof metadata.authorization_endpoint !== 'string' || typeof metadata.token_endpoint !== 'string')
    throw new OAuthClientError('invalid_response', 'discovery lacks authorization_endpoint or token_endpoint');
  return metadata as AuthorizationServerMetadata;
}
