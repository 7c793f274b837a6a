import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@gatehouse/audit';
import type { AuthorizationCode, Client, Tenant, User } from '@gatehouse/persistence';
import { verifyS256 } from '@gatehouse/pkce';
import {
  InvalidAuthorizationDetails,
  InvalidGrant,
  InvalidRequest,
  narrowAuthorizationDetails,
  OAuthError,
  parseAuthorizationDetails,
  RateLimited,
  type AuthorizationDetail,
} from '@gatehouse/protocol';
import { accessTokenAlgorithm, hashOpaqueSecret, TenantKeyCache } from '@gatehouse/tokens';
import { Clock } from '../../../runtime/clock.js';
import { EndpointRateLimiter } from '../../../throttling/index.js';
import { isConfidential } from '../confidential-client.js';
import { RevocationNotifier } from '../revocation-notifier.js';
import { UserTokenIssuer } from '../user-token-issuer.js';
import type { GrantHandler, GrantRequest, TokenResponse } from './grant-handler.js';
import { AuthorizationCodeStorage, type CodeRedemptionStorage } from './grant-storage.js';
import { idTokenAlgorithmFor } from '../../../tenancy/security-profile.js';

/** Revoked token ids are kept at least as long as any access token lives. */
const REVOCATION_RETENTION_MS = 24 * 3600 * 1000;

/** Rolls the redemption back: its tokens were minted but cannot be recorded against the code. */
class ReplayedDuringRedemption extends Error {}

type Redemption = { readonly refused: OAuthError } | { readonly response: TokenResponse };

/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6). The code is consumed, checked and
 * its tokens recorded in one transaction holding the code's row lock, so a
 * concurrent replay waits and then finds everything it must revoke (§4.1.2).
 * Every failure is the same invalid_grant; a code that fails a check stays spent.
 */
@Injectable()
export class AuthorizationCodeGrant implements GrantHandler {
  constructor(
    private readonly storage: AuthorizationCodeStorage,
    private readonly keys: TenantKeyCache,
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
    await this.warmKeys(tenant, client);

    const now = this.clock.now();
    const outcome = await this.redeemOnce(request, code, now).catch((error: unknown) => {
      if (error instanceof ReplayedDuringRedemption) return { refused: new InvalidGrant({ cause: 'code replayed during redemption' }) };
      throw error;
    });
    if ('replayed' in outcome) return this.replayed(tenant, client, outcome.replayed, context, now);
    if ('refused' in outcome) throw outcome.refused;
    return outcome.response;
  }

  private redeemOnce(request: GrantRequest, code: string, now: Date): Promise<Redemption | { replayed: AuthorizationCode }> {
    const { tenant } = request;
    return this.storage.redeem(async (tx): Promise<Redemption | { replayed: AuthorizationCode }> => {
      const result = await tx.codes.consume(tenant.id, hashOpaqueSecret(code), now);
      if (result.outcome === 'unknown') return { refused: new InvalidGrant({ cause: 'unknown code' }) };
      if (result.outcome === 'replayed') return { replayed: result.code };
      try {
        return { response: await this.redeem(tx, request, result.code, result.user, now) };
      } catch (error) {
        // Commit the consumption anyway: a code that failed a check must not be retried. A rate-limited
        // exchange passed every check: it rolls back, so the code can be redeemed after Retry-After.
        if (error instanceof OAuthError && !(error instanceof RateLimited)) return { refused: error };
        throw error;
      }
    });
  }

  private async redeem(
    tx: CodeRedemptionStorage,
    request: GrantRequest,
    stored: AuthorizationCode,
    user: User | null,
    now: Date,
  ): Promise<TokenResponse> {
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

    // RFC 9396 §6.1: the token request may narrow what was granted, never widen it.
    const requestedDetails = form['authorization_details'];
    const authorizationDetails =
      requestedDetails === undefined || stored.authorizationDetails === null
        ? stored.authorizationDetails
        : narrowAuthorizationDetails(stored.authorizationDetails as AuthorizationDetail[], parseAuthorizationDetails(requestedDetails));
    if (requestedDetails !== undefined && stored.authorizationDetails === null)
      throw new InvalidAuthorizationDetails({ hint: 'the authorization request had no authorization details' });
    const issued = await this.tokens.issue(
      tx.families,
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
    // A replay marked meanwhile could not revoke these tokens: none may leave, and the rollback unwrites them.
    if (!(await tx.codes.recordIssued(tenant.id, stored.id, [issued.accessJti], issued.familyId, [issued.auditEvent])))
      throw new ReplayedDuringRedemption();
    return issued.response;
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

  /**
   * Signing happens inside the transaction: load the keys first, so it needs no
   * database round trip there (embedded, the transaction holds the only connection).
   */
  private async warmKeys(tenant: Tenant, client: Client): Promise<void> {
    await this.keys.signingKey(tenant.id, accessTokenAlgorithm(tenant.accessTokenAlg));
    await this.keys.signingKey(tenant.id, idTokenAlgorithmFor(tenant, client));
  }
}
