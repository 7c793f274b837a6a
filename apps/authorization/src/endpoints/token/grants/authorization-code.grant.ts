import { Injectable } from '@nestjs/common';
import { verifyS256 } from '@gatehouse/pkce';
import { InvalidGrant, InvalidRequest } from '@gatehouse/protocol';
import { hashOpaqueSecret } from '@gatehouse/tokens';
import { AuthorizationRuntime } from '../../../runtime/authorization-runtime.js';
import { TokenMinter } from '../token-minter.js';
import type { GrantHandler, GrantRequest, TokenResponse } from './grant-handler.js';

/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6). Every failure is the same
 * invalid_grant to the client; the real reason goes to the log and audit only.
 */
@Injectable()
export class AuthorizationCodeGrant implements GrantHandler {
  constructor(
    private readonly runtime: AuthorizationRuntime,
    private readonly minter: TokenMinter,
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
      // RFC 6749 §4.1.2: revoke the tokens issued from the first redemption.
      await persistence.transaction(async (repos) => {
        await repos.revokedTokens.revoke(tenant.id, result.code.issuedJtis, new Date(now.getTime() + 24 * 3600 * 1000));
        await repos.auditOutbox.append(tenant.id, [
          {
            type: 'code.replayed',
            outcome: 'failure',
            occurredAt: now,
            clientId: client.clientId,
            userId: result.code.userId,
            errorCode: 'invalid_grant',
            ...context,
            details: { revoked: result.code.issuedJtis.length },
          },
        ]);
      });
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

    const minted = await this.minter.mint({
      tenant,
      issuer,
      client,
      user,
      scopes: stored.scopes,
      resource: stored.resource,
      authTime: stored.authTime,
      amr: stored.amr,
      nonce: stored.nonce,
      sessionId: stored.sessionId,
    });
    await persistence.transaction(async (repos) => {
      await repos.codes.recordIssued(tenant.id, stored.id, [minted.jti]);
      await repos.auditOutbox.append(tenant.id, [
        {
          type: 'token.issued',
          outcome: 'success',
          occurredAt: now,
          clientId: client.clientId,
          userId: user.id,
          ...context,
          details: { grant_type: 'authorization_code', scopes: stored.scopes, resource: stored.resource },
        },
      ]);
    });
    return {
      access_token: minted.accessToken,
      token_type: 'Bearer',
      expires_in: minted.expiresIn,
      scope: stored.scopes.join(' '),
      ...(minted.idToken ? { id_token: minted.idToken } : {}),
    };
  }
}
