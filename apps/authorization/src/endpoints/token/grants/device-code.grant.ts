import { Injectable } from '@nestjs/common';
import type { DeviceAuthorization, User } from '@gatehouse/persistence';
import {
  Clock,
  AccessDenied,
  AuthorizationPending,
  codeHash,
  DEVICE_CODE_GRANT_TYPE,
  ExpiredToken,
  InvalidGrant,
  InvalidRequest,
  OAuthError,
  SlowDown,
} from '@gatehouse/protocol';
import { accessTokenAlgorithm, idTokenAlgorithm, TenantKeyCache } from '@gatehouse/tokens';
import { UserTokenIssuer } from '../user-token-issuer.js';
import type { GrantHandler, GrantRequest, TokenResponse } from './grant-handler.js';
import { DeviceCodeStorage, type DeviceRedemptionStorage } from './grant-storage.js';

type Redemption = { readonly refused: OAuthError } | { readonly response: TokenResponse };

/**
 * RFC 8628 §3.4–3.5: the device polls with its device_code. Each poll is one statement under the
 * row lock (DeviceAuthorizationRepository.poll): pending, slow_down (+5 s), access_denied,
 * expired_token, or the approved authorization consumed, so only one poll ever gets tokens; the
 * tokens are then issued in the same transaction, as for an authorization code.
 */
@Injectable()
export class DeviceCodeGrant implements GrantHandler {
  constructor(
    private readonly storage: DeviceCodeStorage,
    private readonly keys: TenantKeyCache,
    private readonly clock: Clock,
    private readonly tokens: UserTokenIssuer,
  ) {}

  async handle(request: GrantRequest): Promise<TokenResponse> {
    const { tenant, client, form } = request;
    const deviceCode = form['device_code'];
    if (!deviceCode) throw new InvalidRequest({ hint: 'device_code is required' });
    await this.keys.signingKey(tenant.id, accessTokenAlgorithm(tenant.accessTokenAlg));
    await this.keys.signingKey(tenant.id, idTokenAlgorithm(client.idTokenSignedResponseAlg));
    const now = this.clock.now();
    const outcome = await this.storage.redeem(async (tx): Promise<Redemption> => {
      const poll = await tx.deviceAuthorizations.poll(tenant.id, codeHash(deviceCode), client.clientId, now);
      switch (poll.outcome) {
        case 'unknown':
          return { refused: new InvalidGrant({ cause: 'unknown device_code' }) };
        case 'consumed':
          return { refused: new InvalidGrant({ cause: 'device_code already used' }) };
        case 'expired':
          return { refused: new ExpiredToken() };
        case 'denied':
          return { refused: new AccessDenied({ hint: 'the user denied the request' }) };
        case 'pending':
          return { refused: new AuthorizationPending() };
        case 'slow_down':
          return { refused: new SlowDown({ hint: `poll every ${poll.intervalSeconds} seconds` }) };
        case 'approved':
          try {
            return { response: await this.issue(tx, request, poll.authorization, now) };
          } catch (error) {
            // The authorization stays consumed: a redemption that failed a check is not retried.
            if (error instanceof OAuthError) return { refused: error };
            throw error;
          }
      }
    });
    if ('refused' in outcome) throw outcome.refused;
    return outcome.response;
  }

  private async issue(
    tx: DeviceRedemptionStorage,
    request: GrantRequest,
    approved: DeviceAuthorization,
    now: Date,
  ): Promise<TokenResponse> {
    if (!approved.userId || !approved.authTime) throw new InvalidGrant({ cause: 'device authorization without a user' });
    const user: User | null = await tx.user(request.tenant.id, approved.userId);
    if (!user || user.status !== 'active') throw new InvalidGrant({ cause: 'user no longer active' });
    const issued = await this.tokens.issue(
      request,
      user,
      {
        grantType: DEVICE_CODE_GRANT_TYPE,
        scopes: approved.scopes,
        resource: approved.resource,
        authTime: approved.authTime,
        amr: approved.amr,
        sessionId: approved.sessionId,
        nonce: null,
        authorizationDetails: null,
      },
      now,
    );
    if (issued.grant) {
      const { family, firstToken } = issued.grant;
      await tx.families.createFamily(request.tenant.id, family);
      await tx.families.insertToken(request.tenant.id, family.id, firstToken.tokenHash, firstToken.expiresAt);
    }
    await tx.audit(request.tenant.id, [issued.auditEvent]);
    return issued.response;
  }
}
