import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuditEvent } from '@gatehouse/audit';
import type { NewGrant, User } from '@gatehouse/persistence';
import type { GrantRequest, TokenResponse } from './grants/grant-handler.js';
import { isConfidential } from './confidential-client.js';
import { RefreshTokenIssuer } from './refresh-token-issuer.js';
import { TokenMinter } from './token-minter.js';

/** What a user approved, as a code or a device authorization stored it. */
export interface UserGrant {
  readonly grantType: string;
  readonly scopes: readonly string[];
  readonly resource: string | null;
  readonly authTime: Date;
  readonly amr: readonly string[];
  readonly sessionId: string | null;
  readonly nonce: string | null;
  readonly authorizationDetails: readonly Readonly<Record<string, unknown>>[] | null;
}

export interface IssuedUserTokens {
  readonly response: TokenResponse;
  readonly accessJti: string;
  /** The refresh-token family and first token, for the redemption to store with itself; null without a refresh token. */
  readonly grant: NewGrant | null;
  /** `token.issued`: the caller writes it in the redeeming transaction, with whatever else records the redemption. */
  readonly auditEvent: AuditEvent;
}

/**
 * The tokens of a grant a user approved (authorization code, device code), signed before the
 * redemption is stored: the access token, a refresh-token family when the client and scopes call for
 * one, the `token.issued` audit event and an ID token for `openid`. The caller stores the family and
 * writes the event with the redemption, and hands the response out only if that commits.
 */
@Injectable()
export class UserTokenIssuer {
  constructor(
    private readonly minter: TokenMinter,
    private readonly refreshTokens: RefreshTokenIssuer,
  ) {}

  async issue(
    { tenant, issuer, client, context, dpop, certificateThumbprint }: GrantRequest,
    user: User,
    grant: UserGrant,
    now: Date,
  ): Promise<IssuedUserTokens> {
    const familyId = this.refreshTokens.shouldIssue(tenant, client, grant.scopes) ? randomUUID() : null;
    const access = await this.minter.accessToken({
      tenant,
      issuer,
      client,
      subject: user.id,
      user,
      scopes: grant.scopes,
      resource: grant.resource,
      authTime: grant.authTime,
      grantId: familyId,
      sessionId: grant.sessionId,
      dpopJkt: dpop?.jkt ?? null,
      certificateThumbprint,
      authorizationDetails: grant.authorizationDetails,
    });
    const subject = {
      userId: user.id,
      sessionId: grant.sessionId,
      scopes: grant.scopes,
      resource: grant.resource,
      authTime: grant.authTime,
      amr: grant.amr,
      // RFC 9449 §5: a public client's refresh tokens are bound to the key; a confidential one's are not.
      dpopJkt: isConfidential(client) ? null : (dpop?.jkt ?? null),
      authorizationDetails: grant.authorizationDetails,
    };
    const family = familyId ? this.refreshTokens.newGrant(tenant, client, familyId, subject, now) : null;
    const issuedEvent: AuditEvent = {
      type: 'token.issued',
      outcome: 'success',
      occurredAt: now,
      clientId: client.clientId,
      userId: user.id,
      ...context,
      details: { grant_type: grant.grantType, scopes: grant.scopes, resource: grant.resource, refresh_token: family !== null },
    };
    const idToken = grant.scopes.includes('openid')
      ? await this.minter.idToken({
          tenant,
          issuer,
          client,
          user,
          scopes: grant.scopes,
          authTime: grant.authTime,
          amr: grant.amr,
          nonce: grant.nonce,
          sessionId: grant.sessionId,
          accessToken: access.accessToken,
        })
      : undefined;
    return {
      accessJti: access.jti,
      grant: family?.grant ?? null,
      auditEvent: issuedEvent,
      response: {
        access_token: access.accessToken,
        token_type: access.tokenType,
        expires_in: access.expiresIn,
        scope: grant.scopes.join(' '),
        ...(family ? { refresh_token: family.refreshToken } : {}),
        ...(idToken ? { id_token: idToken } : {}),
        ...(grant.authorizationDetails ? { authorization_details: grant.authorizationDetails } : {}),
      },
    };
  }
}
