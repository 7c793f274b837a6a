import { subscribeRevocations, tokenBindingOf, type Persistence } from '@gatehouse/persistence';
import { isRoleGrant, ROLES_CLAIM, SYSTEM_TENANT, type Clock, type TenantId } from '@gatehouse/protocol';
import type { ValidatedClaims } from '@gatehouse/resource-server';
import type { Redis } from 'ioredis';

/** The CLI's own admin tokens (AdminTokenService): signed with the system key by an operator, no user or client row behind them. */
const CLI_PRINCIPAL = 'gatehouse-cli';
/** Issue 10 item 1: a revoked or demoted admin is refused within a second. */
const CACHE_TTL_MS = 1000;
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Whether an admin API token still stands: its jti, grant, session, user and client,
 * read in one query (TokenStandingRepository), and the roles it may use now: those of
 * its roles the user still holds. A positive answer is cached for at most a second,
 * and dropped at once when a revocation is announced.
 */
export class AdminTokenStanding {
  private readonly cache = new Map<string, { claims: ValidatedClaims; until: number }>();
  private systemTenantId: TenantId | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly persistence: Persistence,
    private readonly clock: Clock,
  ) {}

  /** Listens for revocations (Redis pub/sub, or in-process without Redis); returns the stop function. */
  watch(redis: Redis | undefined): () => Promise<void> {
    this.unsubscribe = subscribeRevocations(redis, () => this.cache.clear());
    return () => this.stop();
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    this.unsubscribe = null;
  }

  async check(claims: ValidatedClaims): Promise<ValidatedClaims | null> {
    const jti = typeof claims.jti === 'string' ? claims.jti : '';
    const cached = this.cache.get(jti);
    if (cached && cached.until > this.clock.now().getTime()) return cached.claims;
    return this.recheck(claims);
  }

  /**
   * The same check read from the store now, past the cache: for a long-lived response (the
   * audit stream) that must not go on a moment after its token stopped standing.
   */
  async recheck(claims: ValidatedClaims): Promise<ValidatedClaims | null> {
    const jti = typeof claims.jti === 'string' ? claims.jti : '';
    const at = this.clock.now().getTime();
    const tenantId = await this.systemTenant();
    if (!tenantId) return null;
    const cli = claims.sub === CLI_PRINCIPAL && claims.client_id === CLI_PRINCIPAL;
    const binding = cli ? { jti, clientId: null, userId: null, grantId: null, sessionId: null } : tokenBindingOf(claims);
    const standing = await this.persistence.tokenStanding.check(tenantId, binding, this.clock.now());
    if (!standing.standing) {
      this.cache.delete(jti);
      return null;
    }
    const current = cli ? claims : withRoles(claims, standing.userRoles);
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(jti, { claims: current, until: at + CACHE_TTL_MS });
    return current;
  }

  private async systemTenant(): Promise<TenantId | null> {
    if (this.systemTenantId) return this.systemTenantId;
    const system = await this.persistence.repositories.tenants.findBySlug(SYSTEM_TENANT);
    this.systemTenantId = system?.id ?? null;
    return this.systemTenantId;
  }
}

/** The token's roles the user still holds: a removed role stops working at once; a role granted since waits for a new token. */
function withRoles(claims: ValidatedClaims, current: readonly string[]): ValidatedClaims {
  const claimed = claims[ROLES_CLAIM];
  const held = new Set(current.filter(isRoleGrant));
  const roles = (Array.isArray(claimed) ? claimed : []).filter((role): role is string => typeof role === 'string' && held.has(role));
  const { [ROLES_CLAIM]: _dropped, ...rest } = claims;
  return roles.length > 0 ? { ...rest, [ROLES_CLAIM]: roles } : rest;
}
