import { Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import type { Client, Tenant, User } from '@gatehouse/persistence';
import { accessTokenAlgorithm, mintAccessToken, mintIdToken, TenantKeyCache } from '@gatehouse/tokens';
import { Clock, acrForAmr } from '@gatehouse/protocol';
import { ApiCache } from '../../tenancy/api-cache.js';
import { claimsForScopes } from '../userinfo/claims.js';
import { isAdminApiAudience, requireAudienceAllowed, requireResourceAllowed } from './admin-audience.js';
import { adminRolesClaim } from './admin-roles-claim.js';
import { idTokenAlgorithmFor } from '../../tenancy/security-profile.js';

export interface AccessTokenRequest {
  readonly tenant: Tenant;
  readonly issuer: string;
  readonly client: Client;
  /** The user, or the client itself for client_credentials. */
  readonly subject: string;
  /** The signed-in user as read for this issuance; absent for client_credentials. */
  readonly user?: User;
  readonly scopes: readonly string[];
  readonly resource: string | null;
  readonly authTime?: Date;
  /** The refresh token family this token belongs to: revoking the family deactivates it. */
  readonly grantId?: string | null;
  /**
   * The SSO session the grant came from: a token with no refresh family lives and dies with it,
   * and so does an admin API token, refresh family or not.
   */
  readonly sessionId?: string | null;
  /** RFC 9449 §6.1: the thumbprint of the key the token is bound to (`cnf.jkt`). */
  readonly dpopJkt?: string | null;
  /** RFC 8705 §3.1: the thumbprint of the client certificate the token is bound to (`cnf` `x5t#S256`). */
  readonly certificateThumbprint?: string | null;
  /** RFC 9396 §9.1: the granted authorization details, carried as the `authorization_details` claim. */
  readonly authorizationDetails?: readonly Readonly<Record<string, unknown>>[] | null;
}

export interface MintedAccessToken {
  readonly accessToken: string;
  readonly jti: string;
  readonly expiresIn: number;
  readonly tokenType: 'Bearer' | 'DPoP';
}

export interface IdTokenRequest {
  readonly tenant: Tenant;
  readonly issuer: string;
  readonly client: Client;
  readonly user: User;
  readonly scopes: readonly string[];
  readonly authTime: Date;
  readonly amr: readonly string[];
  readonly nonce: string | null;
  readonly accessToken: string;
  /** The SSO session the grant came from: the ID token's `sid` (Back-Channel Logout §2.1). */
  readonly sessionId?: string | null;
}

/** Signs access tokens (RFC 9068) and ID tokens (OIDC Core) with keys held in memory. */
@Injectable()
export class TokenMinter {
  constructor(
    private readonly keys: TenantKeyCache,
    private readonly apis: ApiCache,
    private readonly clock: Clock,
  ) {}

  async accessToken(request: AccessTokenRequest): Promise<MintedAccessToken> {
    const { tenant, client } = request;
    const expiresIn = client.accessTokenTtlSeconds ?? tenant.accessTokenTtlSeconds;
    const alg = accessTokenAlgorithm(tenant.accessTokenAlg);
    const key = await this.keys.signingKey(tenant.id, alg);
    // RFC 8707: a token for a named API carries it as audience; otherwise it is for userinfo at the issuer.
    const audience = request.resource ?? request.issuer;
    // Also for codes and refresh families issued before the rules existed (issue 10 item 2).
    requireAudienceAllowed(tenant, client, audience);
    if (request.resource !== null && client.registrationPolicy) {
      const api = await this.apis.find(tenant.id, request.resource);
      requireResourceAllowed(tenant, client, api ?? { identifier: request.resource, scopes: [] });
    }
    const accessToken = await mintAccessToken(key, {
      issuer: request.issuer,
      subject: request.subject,
      audience,
      clientId: client.clientId,
      scope: request.scopes,
      authTime: request.authTime,
      now: this.clock.now(),
      lifetimeSeconds: expiresIn,
      extraClaims: {
        ...bindingClaims(request, isAdminApiAudience(tenant, audience)),
        ...adminRolesClaim(tenant, client, audience, request.user),
        ...confirmation(request),
        ...(request.authorizationDetails ? { authorization_details: request.authorizationDetails } : {}),
      },
    });
    return { accessToken, jti: decodeJwt(accessToken).jti ?? '', expiresIn, tokenType: request.dpopJkt ? 'DPoP' : 'Bearer' };
  }

  async idToken(request: IdTokenRequest): Promise<string> {
    const { tenant, client, user } = request;
    const alg = idTokenAlgorithmFor(tenant, client);
    const key = await this.keys.signingKey(tenant.id, alg);
    const { sub: _sub, ...profile } = claimsForScopes(user, request.scopes);
    return mintIdToken(key, {
      issuer: request.issuer,
      subject: user.id,
      clientId: client.clientId,
      ...(request.nonce !== null ? { nonce: request.nonce } : {}),
      authTime: request.authTime,
      amr: request.amr,
      acr: acrForAmr(request.amr),
      ...(request.sessionId ? { sessionId: request.sessionId } : {}),
      accessToken: request.accessToken,
      now: this.clock.now(),
      lifetimeSeconds: tenant.idTokenTtlSeconds,
      extraClaims: profile,
    });
  }
}

/**
 * What the token is bound to, so it stops standing when that ends: its grant (refresh
 * token family), or else the session it came from. A grant outlives logout when it was
 * granted offline_access, so its tokens carry no session binding; except an admin API
 * token, which carries both: admin rights never outlive the admin's session (issue 10).
 */
function bindingClaims(request: AccessTokenRequest, adminApi: boolean): Record<string, string> {
  const claims: Record<string, string> = {};
  if (request.grantId) claims['grant_id'] = request.grantId;
  if (request.sessionId && (!request.grantId || adminApi)) claims['sid'] = request.sessionId;
  return claims;
}

/** The token's `cnf` (RFC 7800): the DPoP key (RFC 9449 §6.1) and/or the client certificate (RFC 8705 §3.1). */
function confirmation(request: AccessTokenRequest): { cnf?: Record<string, string> } {
  if (!request.dpopJkt && !request.certificateThumbprint) return {};
  return {
    cnf: {
      ...(request.dpopJkt ? { jkt: request.dpopJkt } : {}),
      ...(request.certificateThumbprint ? { 'x5t#S256': request.certificateThumbprint } : {}),
    },
  };
}
