import type { X509Certificate } from 'node:crypto';
import type { TokenEndpointAuthMethod } from '../client-metadata.js';
import type { AssertionReplayStore } from './assertion-replay.store.js';
import type { TlsClientAuthSubject } from './client-certificate.js';

/** The registered facts authenticateClient needs about one client. */
export interface AuthenticatableClient {
  readonly clientId: string;
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** Current and, during a rotation's grace period, previous secret hashes. */
  readonly secretHashes: readonly string[];
  readonly jwks: { keys: Record<string, unknown>[] } | null;
  /** tls_client_auth (RFC 8705 §2.1.2): the registered subject DN or SAN entry. */
  readonly tlsClientAuthSubject?: TlsClientAuthSubject | null;
}

export interface ClientAuthContext {
  /** The tenant's issuer identifier: the audience a client assertion must name. */
  readonly issuer: string;
  readonly tokenEndpoint: string;
  /** Also accept the token endpoint URL as the assertion audience (RFC 7523 §3 item 3, older clients). */
  readonly acceptTokenEndpointAudience: boolean;
  readonly now: () => Date;
  /** Constant-time comparison of a presented secret with one stored hash. */
  readonly verifySecret: (secret: string, storedHash: string) => boolean;
  readonly replay: AssertionReplayStore;
  /** tls_client_auth: the CAs a client certificate must chain to (MTLS_CA_FILE). */
  readonly trustedClientCas?: readonly X509Certificate[];
  /** private_key_jwt algorithms, narrower than CLIENT_ASSERTION_ALGORITHMS (a FAPI 2.0 tenant: ES256, PS256, EdDSA). */
  readonly assertionAlgorithms?: readonly string[];
  /** Default 300. */
  readonly maxAssertionLifetimeSeconds?: number;
  /** Default 30. */
  readonly clockSkewSeconds?: number;
}
