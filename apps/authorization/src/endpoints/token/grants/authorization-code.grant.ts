import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { verifyS256 } from '@gatehouse/pkce';
import { InvalidGrant, InvalidRequest } from '@gatehouse/protocol';
import { hashOpaqueSecret } from '@gatehouse/tokens';
import { AuthorizationRuntime } from '../../../runtime/authorization-runtime.js';
import { RefreshTokenIssuer } from '../refresh-token-issuer.js';
import { RevocationNotifier } from '../revocation-notifier.js';
import { TokenMinter } from '../token-minter.js';
import type { GrantHandler, GrantRequest, TokenResponse } from './grant-handler.js';

/** Revoked token ids are kept at least as long as any access token lives. */
const REVOCATION_RETENTION_MS = 24 * 3600 * 1000;

/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6). Every failure is the same
 * invalid_grant to the client; the real reason goes to the log and audit only.
 */
@Injectable()
export class AuthorizationCodeGrant implements GrantHandler {
  constructor(
    private readonly runtime: AuthorizationRuntime,
    private readonly minter: TokenMinter,
    private readonly refreshTokens: RefreshTokenIssuer,
    private readonly notifier: RevocationNotifier,
  ) {}

  async handle({ tenant, issuer, client, form, context }: GrantRequest): Promise<TokenResponse> {
    const code = form['code'];
    const verifier = form['code_verifier'];
    if (!code) throw new InvalidRequest({ hint: 'code is required' });
    if (!verifier) throw new InvalidRequest({ hint: 'code_verifier is required (PKCE)' });

    const now = this.runtime.now();
    const { persistence } = this.runtime;
    // Consumed before any other check, outside the issuing transaction: a code that fails a check is spent too.
    const result = await persistence.repositories.codes.consume(tenant.id, hashOpaqueSecret(code), now);
    if (result.outcome === 'unknown') throw new InvalidGrant({ cause: 'unknown code' });
    if (result.outcome === 'replayed') {
      // RFC 6749 §4.1.2: revoke every token the first redemption issued.
      const { issuedJtis, grantId, userId } = result.code;
      await persistence.transaction(async (repos) => {
        await repos.revokedTokens.revoke(tenant.id, issuedJtis, new Date(now.getTime() + REVOCATION_RETENTION_MS));
        if (grantId) await repos.refreshTokens.revokeFamily(tenant.id, grantId, 'code_replayed', now);
        await repos.auditOutbox.append(tenant.id, [
          {
            type: 'code.replayed',
            outcome: 'failure',
            occurredAt: now,
            clientId: client.clientId,
            userId,
            errorCode: 'invalid_grant',
            ...context,
            details: { revokedTokens: issuedJtis.length, revokedGrant: grantId !== null },
          },
        ]);
      });
      await this.notifier.publish(tenant.id, { jtis: issuedJtis, grantId });
      throw new InvalidGrant({ cause: 'code replayed; issued tokens revoked' });
    }

    const stored = result.code;
    if (stored.clientId !== client.clientId) throw new InvalidGrant({ cause: 'code issued to another client' });
    if (stored.expiresAt.getTime() <= now.getTime()) throw new InvalidGrant({ cause: 'code expired' });
    const redirectUri = form['redirect_uri'];
    if (redirectUri !== undefined && redirectUri !== stored.redirectUri) throw new InvalidGrant({ cause: 'redirect_uri mismatch' });
    if (!verifyS256(verifier, stored.codeChallenge)) throw new InvalidGrant({ cause: 'PKCE verification failed' });
    const user = await persistence.repositories.users.findById(tenant.id, stored.userId);
    if (!user || user.status !== 'active') throw new InvalidGrant({ cause: 'user no longer active' });

    // Signing happens outside the transaction: it may load keys through the pool, and a
    // transaction must not wait on crypto (nor, embedded, on its own single connection).
    const familyId = this.refreshTokens.shouldIssue(tenant, client, stored.scopes) ? randomUUID() : null;
    const access = await this.minter.accessToken({
      tenant,
      issuer,
      client,
      subject: user.id,
      scopes: stored.scopes,
      resource: stored.resource,
      authTime: stored.authTime,
      grantId: familyId,
    });
    const subject = {
      userId: user.id,
      sessionId: stored.sessionId,
      scopes: stored.scopes,
      resource: stored.resource,
      authTime: stored.authTime,
      amr: stored.amr,
    };
    const refreshToken = await persistence.transaction(async (repos) => {
      const family = familyId ? await this.refreshTokens.startFamily(repos, tenant, client, familyId, subject, now) : null;
      await repos.codes.recordIssued(tenant.id, stored.id, [access.jti], familyId);
      await repos.auditOutbox.append(tenant.id, [
        {
          type: 'token.issued',
          outcome: 'success',
          occurredAt: now,
          clientId: client.clientId,
          userId: user.id,
          ...context,
          details: { grant_type: 'authorization_code', scopes: stored.scopes, resource: stored.resource, refresh_token: family !== null },
        },
      ]);
      return family?.refreshToken;
    });
    const idToken = stored.scopes.includes('openid')
      ? await this.minter.idToken({
          tenant,
          issuer,
          client,
          user,
          scopes: stored.scopes,
          authTime: stored.authTime,
          amr: stored.amr,
          nonce: stored.nonce,
          sessionId: stored.sessionId,
          accessToken: access.accessToken,
        })
      : undefined;
    return {
      access_token: access.accessToken,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
      scope: stored.scopes.join(' '),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      ...(idToken ? { id_token: idToken } : {}),
    };
  }
}
