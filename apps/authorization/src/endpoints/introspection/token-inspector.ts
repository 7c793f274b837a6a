import { Clock } from '@gatehouse/protocol';
import { Injectable } from '@nestjs/common';
import { tokenBindingOf, type PresentedRefreshToken, type Tenant } from '@gatehouse/persistence';
import {
  hashOpaqueSecret,
  SIGNING_ALGORITHMS,
  TenantKeyCache,
  TokenVerificationError,
  verifyAccessToken,
  type AccessTokenClaims,
} from '@gatehouse/tokens';
import { ClientCache } from '../../tenancy/client-cache.js';
import { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { TokenInspectionStorage } from '../token-reads.storage.js';

export type InspectedToken =
  { readonly kind: 'access'; readonly claims: AccessTokenClaims } | { readonly kind: 'refresh'; readonly token: PresentedRefreshToken };

/**
 * What a presented token is and whether it is still active: an access token must
 * verify and still stand (jti, grant, session, user and client: TokenStandingRepository);
 * a refresh token must exist in this tenant, be unexpired, unrotated and of a standing grant.
 */
@Injectable()
export class TokenInspector {
  constructor(
    private readonly storage: TokenInspectionStorage,
    private readonly directory: TenantDirectory,
    private readonly keys: TenantKeyCache,
    private readonly clients: ClientCache,
    private readonly clock: Clock,
  ) {}

  /** The token if it is ours and active, else null. `hint` only orders the lookups (RFC 7662 §2.1). */
  async inspect(tenant: Tenant, token: string, hint: string | undefined): Promise<InspectedToken | null> {
    const access = () => this.access(tenant, token);
    const refresh = () => this.refresh(tenant, token);
    for (const lookup of hint === 'refresh_token' ? [refresh, access] : [access, refresh]) {
      const found = await lookup();
      if (found) return found;
    }
    return null;
  }

  /** An access token of this tenant with a valid signature, active or not (revocation needs the expired ones too). */
  async verifiedAccessToken(tenant: Tenant, token: string, now: Date): Promise<AccessTokenClaims | null> {
    if (!token.includes('.')) return null;
    try {
      return await verifyAccessToken(token, {
        issuer: this.directory.issuer(tenant),
        keyFor: (kid) => this.keys.verificationKey(tenant.id, kid),
        now,
        algorithms: SIGNING_ALGORITHMS,
      });
    } catch (error) {
      if (error instanceof TokenVerificationError) return null;
      throw error;
    }
  }

  private async access(tenant: Tenant, token: string): Promise<InspectedToken | null> {
    const now = this.clock.now();
    const claims = await this.verifiedAccessToken(tenant, token, now);
    if (!claims) return null;
    const standing = await this.storage.standing(tenant.id, tokenBindingOf(claims), now);
    return standing.standing ? { kind: 'access', claims } : null;
  }

  private async refresh(tenant: Tenant, token: string): Promise<InspectedToken | null> {
    if (token.length > 128) return null;
    const presented = await this.storage.refreshToken(tenant.id, hashOpaqueSecret(token));
    if (!presented) return null;
    const now = this.clock.now().getTime();
    const { family } = presented;
    const client = await this.clients.find(tenant.id, family.clientId);
    const rotated =
      presented.usedAt !== null && (client === null || client.tokenEndpointAuthMethod === 'none' || client.rotateRefreshTokens);
    if (family.revokedAt || rotated || presented.expiresAt.getTime() <= now || family.absoluteExpiresAt.getTime() <= now) return null;
    return { kind: 'refresh', token: presented };
  }
}
