import type { RequestContext } from '@gatehouse/audit';
import type { Client, Tenant } from '@gatehouse/persistence';
import type { Params } from '../../../http/request-params.js';

/** RFC 6749 §5.1 successful response. */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope?: string;
  readonly id_token?: string;
  readonly refresh_token?: string;
}

export interface GrantRequest {
  readonly tenant: Tenant;
  readonly issuer: string;
  readonly client: Client;
  readonly form: Params;
  readonly context: RequestContext;
}

export interface GrantHandler {
  handle(request: GrantRequest): Promise<TokenResponse>;
}
