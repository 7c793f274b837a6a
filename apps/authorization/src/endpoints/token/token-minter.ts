import { Injectable } from '@nestjs/common';
import type { Client, Tenant, User } from '@gatehouse/persistence';
import { decodeJwt } from 'jose';
import { isSigningAlgorithm, mintAccessToken, mintIdToken, type SigningAlgorithm } from '@gatehouse/tokens';
import { AuthorizationRuntime } from '../../runtime/authorization-runtime.js';
import { claimsForScopes } from '../userinfo/claims.js';

export interface MintInput {
  readonly tenant: Tenant;
  readonly issuer: string;
  readonly client: Client;
  readonly user: User;
  readonly scopes: readonly string[];
  readonly resource: string | null;
  readonly authTime: Date;
  readonly amr: readonly string[];
  readonly nonce: string | null;
  /** The SSO session the grant came from: the ID token's `sid` (Back-Channel Logout §2.1). */
  readonly sessionId?: string | null;
}

/** Signs access tokens (RFC 9068) and ID tokens (OIDC Core) with keys held in memory. */
@Injectable()
export class TokenMinter {
  constructor(private readonly runtime: AuthorizationRuntime) {}

  async mint(input: MintInput): Promise<{ accessToken: string; jti: string; expiresIn: number; idToken?: string }> {
    const { tenant, issuer, client, user, scopes } = input;
    const now = this.runtime.now();
    const expiresIn = client.accessTokenTtlSeconds ?? tenant.accessTokenTtlSeconds;
    const accessAlg: SigningAlgorithm = isSigningAlgorithm(tenant.accessTokenAlg) ? tenant.accessTokenAlg : 'RS256';
    const accessKey = await this.runtime.keys.signingKey(tenant.id, accessAlg);
    // RFC 8707: a token for a named API carries it as audience; otherwise it is for userinfo at the issuer.
    const accessToken = await mintAccessToken(accessKey, {
      issuer,
      subject: user.id,
      audience: input.resource ?? issuer,
      clientId: client.clientId,
      scope: scopes,
      authTime: input.authTime,
      now,
      lifetimeSeconds: expiresIn,
    });
    const jti = decodeJwt(accessToken).jti ?? '';
    if (!scopes.includes('openid')) return { accessToken, jti, expiresIn };

    const idAlg: SigningAlgorithm =
      client.idTokenSignedResponseAlg && isSigningAlgorithm(client.idTokenSignedResponseAlg) ? client.idTokenSignedResponseAlg : 'RS256';
    const idKey = await this.runtime.keys.signingKey(tenant.id, idAlg);
    const { sub: _sub, ...profile } = claimsForScopes(user, scopes);
    const idToken = await mintIdToken(idKey, {
      issuer,
      subject: user.id,
      clientId: client.clientId,
      ...(input.nonce !== null ? { nonce: input.nonce } : {}),
      authTime: input.authTime,
      amr: input.amr,
      ...(input.sessionId ? { sessionId: input.sessionId } : {}),
      accessToken,
      now,
      lifetimeSeconds: tenant.idTokenTtlSeconds,
      extraClaims: profile,
    });
    return { accessToken, jti, expiresIn, idToken };
  }
}
