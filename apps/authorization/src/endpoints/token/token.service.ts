import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@gatehouse/audit';
import { describeCause, InvalidRequest, OAuthError, RateLimited, UnauthorizedClient, UnsupportedGrantType } from '@gatehouse/protocol';
import { singleValuedParams } from '../../http/request-params.js';
import { AuthorizationRuntime } from '../../runtime/authorization-runtime.js';
import { createTokenRateLimit, type TokenRateLimit } from '../../throttling/index.js';
import { ClientAuthenticator } from './client-authenticator.js';
import { AuthorizationCodeGrant } from './grants/authorization-code.grant.js';
import { ClientCredentialsGrant } from './grants/client-credentials.grant.js';
import { RefreshTokenGrant } from './grants/refresh-token.grant.js';
import type { GrantHandler, TokenResponse } from './grants/grant-handler.js';

/** POST /token: a checklist — parameters, client, grant type, the grant itself. */
@Injectable()
export class TokenService {
  private readonly grants: ReadonlyMap<string, GrantHandler>;
  private readonly rateLimit: TokenRateLimit;

  constructor(
    private readonly runtime: AuthorizationRuntime,
    private readonly clientAuth: ClientAuthenticator,
    authorizationCode: AuthorizationCodeGrant,
    refreshToken: RefreshTokenGrant,
    clientCredentials: ClientCredentialsGrant,
  ) {
    this.grants = new Map<string, GrantHandler>([
      ['authorization_code', authorizationCode],
      ['refresh_token', refreshToken],
      ['client_credentials', clientCredentials],
    ]);
    this.rateLimit = createTokenRateLimit(runtime);
  }

  async exchange(slug: string, authorization: string | undefined, body: unknown, context: RequestContext): Promise<TokenResponse> {
    const tenant = await this.runtime.tenant(slug);
    const form = singleValuedParams(body);
    const client = await this.clientAuth.authenticate(tenant, authorization, form);
    try {
      // Issue 10 item 7: the tenant's token_requests_per_client_per_minute, before any grant work.
      // A public client authenticates by its client_id alone, which anyone can send: its budget is
      // per source address, or one stranger could spend it for every user of the client.
      const budget = client.tokenEndpointAuthMethod === 'none' ? `${client.clientId}@${context.ip ?? 'unknown'}` : client.clientId;
      const decision = await this.rateLimit.request(tenant, budget);
      if (!decision.allowed) {
        this.runtime.metrics.rateLimited.inc({ tenant: this.runtime.metrics.tenants.of(tenant.slug), limit: 'token' });
        throw new RateLimited(decision.retryAfterSeconds, { cause: 'over token_requests_per_client_per_minute' });
      }
      const grantType = form['grant_type'];
      if (!grantType) throw new InvalidRequest({ hint: 'grant_type is required' });
      const grant = this.grants.get(grantType);
      if (!grant) throw new UnsupportedGrantType();
      if (!client.grantTypes.includes(grantType)) throw new UnauthorizedClient({ hint: `the client may not use ${grantType}` });
      const response = await grant.handle({ tenant, issuer: this.runtime.issuer(tenant), client, form, context });
      this.runtime.metrics.tokenExchanges.inc({ tenant: this.runtime.metrics.tenants.of(tenant.slug), grant_type: grantType });
      return response;
    } catch (error) {
      if (error instanceof OAuthError) {
        await this.runtime.persistence.audit.append(tenant.id, [
          {
            type: 'token.failed',
            outcome: 'failure',
            occurredAt: this.runtime.now(),
            clientId: client.clientId,
            errorCode: error.error,
            ...context,
            details: { grant_type: form['grant_type'], reason: describeCause(error.internalCause) || error.fullDescription },
          },
        ]);
      }
      throw error;
    }
  }
}
