import { Inject, Injectable } from '@nestjs/common';
import type { AuditOutbox } from '@gatehouse/audit';
import { Clock, InvalidScope, InvalidTarget, parseScope, UnauthorizedClient, OIDC_SCOPES } from '@gatehouse/protocol';
import { AUDIT_OUTBOX } from '../../../runtime/injection-tokens.js';
import { ApiCache } from '../../../tenancy/api-cache.js';
import { requireResourceAllowed } from '../admin-audience.js';
import { TokenMinter } from '../token-minter.js';
import { authorizationDetailsOf } from '../../authorize/checks/check-authorization-details.js';
import type { GrantHandler, GrantRequest, TokenResponse } from './grant-handler.js';

const OIDC = new Set(OIDC_SCOPES);

/** RFC 6749 §4.4: a confidential client acting for itself; `sub` is the client, no refresh token. */
@Injectable()
export class ClientCredentialsGrant implements GrantHandler {
  constructor(
    private readonly apis: ApiCache,
    private readonly clock: Clock,
    @Inject(AUDIT_OUTBOX) private readonly audit: AuditOutbox,
    private readonly minter: TokenMinter,
  ) {}

  async handle({ tenant, issuer, client, form, context, dpop, certificateThumbprint }: GrantRequest): Promise<TokenResponse> {
    if (client.tokenEndpointAuthMethod === 'none') throw new UnauthorizedClient({ hint: 'client_credentials needs a confidential client' });
    const allowed = client.scopes.filter((scope) => !OIDC.has(scope));
    const requested = form['scope'] === undefined ? allowed : parseScope(form['scope']);
    if (!requested) throw new InvalidScope({ hint: 'scope is malformed' });
    let scopes = requested.filter((scope) => allowed.includes(scope));
    if (form['scope'] !== undefined && scopes.length === 0)
      throw new InvalidScope({ hint: 'none of the requested scopes is allowed for this client' });

    let resource: string | null = null;
    if (form['resource'] !== undefined) {
      const api = await this.apis.find(tenant.id, form['resource']);
      if (!api) throw new InvalidTarget({ hint: 'resource is not a registered API of this tenant' });
      requireResourceAllowed(tenant, client, api);
      resource = api.identifier;
      scopes = scopes.filter((scope) => api.scopes.includes(scope));
      // RFC 8707 §2: a token for an API the client holds no scope of would be a token for nothing.
      if (scopes.length === 0) throw new InvalidTarget({ hint: 'the client has no scope of this resource' });
    } else if (scopes.length > 0) {
      // Without resource the token's audience is the issuer, not an API: an API's scope in it would be
      // honoured by no API, or worse by any API that trusts the issuer audience (issue 10 item 14).
      const apiScopes = await this.apis.scopes(tenant.id);
      const withoutApis = scopes.filter((scope) => !apiScopes.has(scope));
      if (form['scope'] !== undefined && withoutApis.length === 0)
        throw new InvalidScope({ hint: 'the requested scopes belong to an API: name it with resource' });
      scopes = withoutApis;
    }

    // RFC 9396 §6.1: a client acting for itself may ask for authorization details directly at the token endpoint.
    const authorizationDetails = authorizationDetailsOf(tenant, client, form['authorization_details']);
    const now = this.clock.now();
    const access = await this.minter.accessToken({
      tenant,
      issuer,
      client,
      subject: client.clientId,
      scopes,
      resource,
      dpopJkt: dpop?.jkt ?? null,
      certificateThumbprint,
      authorizationDetails,
    });
    await this.audit.append(tenant.id, [
      {
        type: 'token.issued',
        outcome: 'success',
        occurredAt: now,
        clientId: client.clientId,
        ...context,
        details: { grant_type: 'client_credentials', scopes, resource },
      },
    ]);
    return {
      access_token: access.accessToken,
      token_type: access.tokenType,
      expires_in: access.expiresIn,
      ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
      ...(authorizationDetails ? { authorization_details: authorizationDetails } : {}),
    };
  }
}
