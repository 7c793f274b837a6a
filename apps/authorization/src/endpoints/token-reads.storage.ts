import type { Persistence, PresentedRefreshToken, TokenBinding, TokenStanding, User } from '@gatehouse/persistence';
import type { TenantId } from '@gatehouse/protocol';

/** What inspecting a token (introspection, revocation) reads: whether an access token still stands, and a refresh token by its hash. */
export abstract class TokenInspectionStorage {
  abstract standing(tenantId: TenantId, binding: TokenBinding, now: Date): Promise<TokenStanding>;
  abstract refreshToken(tenantId: TenantId, tokenHash: string): Promise<PresentedRefreshToken | null>;
}

/** What userinfo reads: whether the access token still stands, and its user. */
export abstract class UserinfoStorage {
  abstract standing(tenantId: TenantId, binding: TokenBinding, now: Date): Promise<TokenStanding>;
  abstract user(tenantId: TenantId, userId: string): Promise<User | null>;
}

/** Both on the platform's persistence: standing checks and user reads batched (docs/adr/0007, 0022). */
export class PersistentTokenReads implements TokenInspectionStorage, UserinfoStorage {
  constructor(private readonly persistence: Persistence) {}

  standing(tenantId: TenantId, binding: TokenBinding, now: Date): Promise<TokenStanding> {
    return this.persistence.tokenStanding.check(tenantId, binding, now);
  }

  refreshToken(tenantId: TenantId, tokenHash: string): Promise<PresentedRefreshToken | null> {
    return this.persistence.repositories.refreshTokens.findByHash(tenantId, tokenHash);
  }

  user(tenantId: TenantId, userId: string): Promise<User | null> {
    return this.persistence.userLookups.findById(tenantId, userId);
  }
}
