import type { RequestContext } from '@gatehouse/audit';
import type { Client, Tenant } from '@gatehouse/persistence';
import type { Params } from '../../../http/request-params.js';
import type { DpopBinding } from '../token-dpop.js';

/** RFC 6749 §5.1 successful response. */
export interface TokenResponse {
  readonly access_token: string;
  /** RFC 9449 §5: DPoP when the access token is bound to the proof's key. */
  readonly token_type: 'Bearer' | 'DPoP';
  readonly expires_in: number;
  readonly scope?: string;
  readonly id_token?: string;
  readonly refresh_token?: string;
  /** RFC 9396 §7: the authorization details granted, when the request had any. */
  readonly authorization_details?: readonly Readonly<Record<string, unknown>>[];
}

export interface GrantRequest {
  readonly tenant: Tenant;
  readonly issuer: string;
  readonly client: Client;
  readonly form: Params;
  readonly context: RequestContext;
  /** The key the request's DPoP proof showed possession of; null without one. */
  readonly dpop: DpopBinding | null;
  /** RFC 8705 §3: the `x5t#S256` of the client certificate a certificate-bound token carries; null: unbound. */
  readonly certificateThumbprint: string | null;
}

export interface GrantHandler {
  handle(request: GrantRequest): Promise<TokenResponse>;
}
