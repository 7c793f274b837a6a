import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@gatehouse/audit';
import type { AuthorizationCode, Client, Tenant, User } from '@gatehouse/persistence';
import { verifyS256 } from '@gatehouse/pkce';
import { Clock, InvalidGrant, InvalidRequest, OAuthError, RateLimited } from '@gatehouse/protocol';
import { hashOpaqueSecret } from '@gatehouse/tokens';
import { EndpointRateLimiter } from '../../../throttling/index.js';
import { isConfidential } from '../confidential-client.js';
import { RevocationNotifier } from '../revocation-notifier.js';
import { UserTokenIssuer, type IssuedUserTokens } from '../user-token-issuer.js';
import type { GrantHandler, GrantRequest, TokenResponse } from './grant-handler.js';
import { AuthorizationCodeStorage } from './grant-storage.js';
import { authorizationDetailsToIssue } from './granted-authorization-details.js';

/** Revoked token ids are kept at least as long as any access token lives. */
const REVOCATION_RETENTION_MS = 24 * 3600 * 1000;

/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6). The code is read and checked, the tokens signed, and
 * then one statement consumes the code and records what it issued, the refresh-token family and the
 * audit event with it, only if no one consumed it first. Whoever loses that race, or presents a code
 * consumed before, is a replay: everything the winner issued is revoked (§4.1.2). Every failure is the
 * same invalid_grant; a code that fails a check is spent, so it cannot be retried; a rate-limited
 * exchange passed every check and leaves the code as it was, to be redeemed after Retry-After.
 */
@Injectable()
export class AuthorizationCodeGrant implements GrantHandler {
  constructor(
    private readonly storage: AuthorizationCodeStorage,
    private readonly rateLimits: EndpointRateLimiter,
    private readonly clock: Clock,
    private readonly tokens: UserTokenIssuer,
    private readonly notifier: RevocationNotifier,
  ) {}

  async handle(request: GrantRequest): Promise<TokenResponse> {
    const { tenant, client, form, context } = request;
    const code = form['code'];
    if (!code) throw new InvalidRequest({ hint: 'code is required' });
    if (!form['code_verifier']) throw new InvalidRequest({ hint: 'code_verifier is required (PKCE)' });

    const now = this.clock.now();
    const codeHash = hashOpaqueSecret(code);
    const presented = await this.storage.presented(tenant.id, codeHash);
    if (!presented) throw new InvalidGrant({ cause: 'unknown code' });
    if (presented.consumed) return this.replayed(tenant, client, presented.code, context, now);
    let issued: IssuedUserTokens;
    try {
      issued = await this.issue(request, presented.code, presented.user, now);
    } catch (error) {
      if (!(error instanceof OAuthError) || error instanceof RateLimited) throw error;
      // A code that failed a check is spent; one consumed meanwhile was a replay all along.
      if ((await this.storage.spend(tenant.id, codeHash, now)) === 'replayed')
        return this.replayed(tenant, client, presented.code, context, now);
      throw error;
    }
    const redeemed = await this.storage.redeem({
      tenantId: tenant.id,
      codeId: presented.code.id,
      now,
      jtis: [issued.accessJti],
      grant: issued.grant,
      events: [issued.auditEvent],
    });
    // Consumed meanwhile by a concurrent redemption: these tokens never leave, and the winner's are revoked.
    if (!redeemed) return this.replayed(tenant, client, presented.code, context, now);
    return issued.response;
  }

  /** Every check of the stored code against this request, then the tokens, signed but not yet stored. */
  private async issue(request: GrantRequest, stored: AuthorizationCode, user: User | null, now: Date): Promise<IssuedUserTokens> {
    const { tenant, client, form, context, dpop } = request;
    if (stored.clientId !== client.clientId) throw new InvalidGrant({ cause: 'code issued to another client' });
    if (stored.expiresAt.getTime() <= now.getTime()) throw new InvalidGrant({ cause: 'code expired' });
    const redirectUri = form['redirect_uri'];
    // OIDC Core §3.1.3.2: required (and equal) when the request was an OpenID one.
    if (redirectUri === undefined && stored.scopes.includes('openid')) throw new InvalidRequest({ hint: 'redirect_uri is required' });
    if (redirectUri !== undefined && redirectUri !== stored.redirectUri) throw new InvalidGrant({ cause: 'redirect_uri mismatch' });
    if (!verifyS256(form['code_verifier'] ?? '', stored.codeChallenge)) throw new InvalidGrant({ cause: 'PKCE verification failed' });
    // RFC 9449 §10: a code bound with dpop_jkt is redeemed only with a proof by that key.
    if (stored.dpopJkt !== null && stored.dpopJkt !== dpop?.jkt) throw new InvalidGrant({ cause: 'DPoP key does not match dpop_jkt' });
    if (!user || user.status !== 'active') throw new InvalidGrant({ cause: 'user no longer active' });
    // A confidential client's successful exchange counts per user, not per source address (the token
    // service takes back its per-IP hit), so one backend serving many users is not throttled.
    if (isConfidential(client))
      await this.rateLimits.enforce({ tenant, client, limit: 'codeExchangesPerClientUserPerMinute', subject: user.id, context });

    // Rechecked against the tenant's types; RFC 9396 §6.1: the token request may narrow what was granted, never widen it.
    const authorizationDetails = authorizationDetailsToIssue(
      tenant,
      client,
      stored.authorizationDetails,
      form['authorization_details'],
      'the authorization request had no authorization details',
    );
    return this.tokens.issue(
      request,
      user,
      {
        grantType: 'authorization_code',
        scopes: stored.scopes,
        resource: stored.resource,
        authTime: stored.authTime,
        amr: stored.amr,
        sessionId: stored.sessionId,
        nonce: stored.nonce,
        authorizationDetails,
      },
      now,
    );
  }

  /** RFC 6749 §4.1.2: revoke every token the first redemption issued. */
  private async replayed(tenant: Tenant, client: Client, code: AuthorizationCode, context: RequestContext, now: Date): Promise<never> {
    const revokedUntil = new Date(now.getTime() + REVOCATION_RETENTION_MS);
    const { issuedJtis, grantId } = await this.storage.revokeReplayed(tenant.id, code.id, now, revokedUntil, (revoked) => ({
      type: 'code.replayed',
      outcome: 'failure',
      occurredAt: now,
      clientId: client.clientId,
      userId: code.userId,
      errorCode: 'invalid_grant',
      ...context,
      details: { revokedTokens: revoked.issuedJtis.length, revokedGrant: revoked.grantId !== null },
    }));
    await this.notifier.publish(tenant.id, { jtis: issuedJtis, grantId });
    throw new InvalidGrant({ cause: 'code replayed; issued tokens revoked' });
  }
}
