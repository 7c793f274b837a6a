import { Injectable } from '@nestjs/common';
import type { PresentedRefreshToken } from '@gatehouse/persistence';
import { Clock, InvalidGrant, InvalidRequest, InvalidScope, parseScope } from '@gatehouse/protocol';
import { hashOpaqueSecret } from '@gatehouse/tokens';
import type { AuditEvent, RequestContext } from '@gatehouse/audit';
import type { Client, Tenant } from '@gatehouse/persistence';
import { EndpointRateLimiter } from '../../../throttling/index.js';
import { isAdminApiAudience } from '../admin-audience.js';
import { RefreshTokenIssuer } from '../refresh-token-issuer.js';
import { RevocationNotifier } from '../revocation-notifier.js';
import { TokenMinter } from '../token-minter.js';
import { authorizationDetailsToIssue } from './granted-authorization-details.js';
import type { GrantHandler, GrantRequest, TokenResponse } from './grant-handler.js';
import { RefreshTokenStorage } from './grant-storage.js';

/**
 * OAuth 2.1 §4.3 with rotation and reuse detection (RFC 9700 §4.14.2): a refresh
 * token that was already rotated is evidence of theft, so its whole family is
 * revoked. There is no grace period: a client's concurrent retry with the same
 * token is treated as reuse too (documented in the README).
 */
@Injectable()
export class RefreshTokenGrant implements GrantHandler {
  constructor(
    private readonly storage: RefreshTokenStorage,
    private readonly rateLimits: EndpointRateLimiter,
    private readonly clock: Clock,
    private readonly minter: TokenMinter,
    private readonly issuer: RefreshTokenIssuer,
    private readonly notifier: RevocationNotifier,
  ) {}

  async handle({ tenant, issuer, client, form, context, dpop, certificateThumbprint }: GrantRequest): Promise<TokenResponse> {
    const value = form['refresh_token'];
    if (!value) throw new InvalidRequest({ hint: 'refresh_token is required' });
    const now = this.clock.now();
    // The token comes with its family and its user as they are now: one query, shared with concurrent refreshes.
    const redemption = await this.storage.redeemable(tenant.id, hashOpaqueSecret(value));
    if (!redemption) throw new InvalidGrant({ cause: 'unknown refresh token' });
    const { token: presented, user } = redemption;
    const { family } = presented;
    // Bound to its client: another client's attempt changes nothing.
    if (family.clientId !== client.clientId) throw new InvalidGrant({ cause: 'refresh token of another client' });
    if (family.revokedAt) throw new InvalidGrant({ cause: 'grant revoked' });
    // RFC 9449 §5: a bound refresh token is used only with a proof by the same key.
    if (family.dpopJkt !== null && family.dpopJkt !== dpop?.jkt)
      throw new InvalidGrant({ cause: 'DPoP key does not match the refresh token' });
    // Only the grant knows the family: its limit is checked here, in the endpoint limits' storage.
    await this.rateLimits.enforce({ tenant, client, limit: 'refreshesPerFamilyPerHour', subject: family.id, context });
    const rotate = this.issuer.rotates(client);
    if (presented.usedAt && rotate) return this.reuseDetected(tenant, client, presented, context);
    if (presented.expiresAt.getTime() <= now.getTime() || family.absoluteExpiresAt.getTime() <= now.getTime()) {
      throw new InvalidGrant({ cause: 'refresh token expired' });
    }

    const requested = form['scope'] === undefined ? null : parseScope(form['scope']);
    if (requested === null && form['scope'] !== undefined) throw new InvalidScope({ hint: 'scope is malformed' });
    // May narrow, never widen.
    if (requested && !requested.every((scope) => family.scopes.includes(scope)))
      throw new InvalidScope({ hint: 'scope exceeds the original grant' });
    const scopes = requested && requested.length > 0 ? requested : [...family.scopes];
    if (!user || user.status !== 'active') throw new InvalidGrant({ cause: 'user no longer active' });
    // Issued again only while the tenant and the client still accept them; RFC 9396 §6: the access token may carry a
    // subset of the grant's details, the grant itself keeps them all.
    const issuedDetails = authorizationDetailsToIssue(
      tenant,
      client,
      family.authorizationDetails,
      form['authorization_details'],
      'the grant has no authorization details',
    );
    // Admin rights never outlive the admin's session, offline_access or not (issue 10): an ended
    // or expired session is refused here, before anything is signed or spent.
    if (family.sessionId && isAdminApiAudience(tenant, family.resource)) {
      if (!(await this.storage.sessionActive(tenant.id, family.sessionId, now))) throw new InvalidGrant({ cause: 'admin session ended' });
    }

    // Sign first: the tokens are handed out only if the rotation below commits, and a
    // signing failure must not spend the presented refresh token.
    const access = await this.minter.accessToken({
      tenant,
      issuer,
      client,
      subject: user.id,
      user,
      scopes,
      resource: family.resource,
      authTime: family.authTime,
      grantId: family.id,
      sessionId: family.sessionId,
      dpopJkt: dpop?.jkt ?? null,
      certificateThumbprint,
      authorizationDetails: issuedDetails,
    });
    const idToken = scopes.includes('openid')
      ? await this.minter.idToken({
          tenant,
          issuer,
          client,
          user,
          scopes,
          authTime: family.authTime,
          amr: family.amr,
          nonce: null,
          sessionId: family.sessionId,
          accessToken: access.accessToken,
        })
      : undefined;

    const refreshed: AuditEvent = {
      type: 'token.refreshed',
      outcome: 'success',
      occurredAt: now,
      clientId: client.clientId,
      userId: user.id,
      ...context,
      details: { scopes, rotated: rotate },
    };
    let outcome: { readonly reused: boolean; readonly refreshToken?: string };
    if (rotate) {
      // The one conditional UPDATE decides a race: the loser sees a used token, i.e. reuse.
      const successor = this.issuer.successor(tenant, client, family.id, family.absoluteExpiresAt, now);
      const rotated = await this.storage.rotate({
        tenantId: tenant.id,
        tokenId: presented.id,
        now,
        successor,
        events: [refreshed],
      });
      // Revoked between the read above and this statement (a logout, an admin): nothing is handed out.
      if (rotated === 'grant-revoked') throw new InvalidGrant({ cause: 'grant revoked' });
      outcome = rotated === 'rotated' ? { reused: false, refreshToken: successor.token } : { reused: true };
    } else {
      const idleExpiry = this.issuer.idleExpiry(tenant, client, family.absoluteExpiresAt, now);
      if (!(await this.storage.extend(tenant.id, presented.id, idleExpiry, [refreshed])))
        throw new InvalidGrant({ cause: 'grant revoked' });
      outcome = { reused: false };
    }
    if (outcome.reused) return this.reuseDetected(tenant, client, presented, context);
    const refreshToken = outcome.refreshToken;
    return {
      access_token: access.accessToken,
      token_type: access.tokenType,
      expires_in: access.expiresIn,
      scope: scopes.join(' '),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      ...(idToken ? { id_token: idToken } : {}),
      ...(issuedDetails ? { authorization_details: issuedDetails } : {}),
    };
  }

  private async reuseDetected(tenant: Tenant, client: Client, presented: PresentedRefreshToken, context: RequestContext): Promise<never> {
    const now = this.clock.now();
    await this.storage.revokeFamily(tenant.id, presented.family.id, 'refresh_token_reuse', now, [
      {
        type: 'refresh.reuse_detected',
        outcome: 'failure',
        occurredAt: now,
        clientId: client.clientId,
        userId: presented.family.userId,
        errorCode: 'invalid_grant',
        ...context,
        details: { grant_revoked: true },
      },
    ]);
    await this.notifier.publish(tenant.id, { grantId: presented.family.id });
    throw new InvalidGrant({ cause: 'refresh token reuse: grant revoked' });
  }
}
