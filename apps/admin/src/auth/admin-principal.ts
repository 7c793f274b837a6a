import { AdminProblem } from '../errors/admin-problem.js';
import { parseRoleGrant, type RoleGrant } from './admin-roles.js';

/** Who is calling the admin API, from a validated access token. */
export class AdminPrincipal {
  constructor(
    readonly subject: string,
    readonly grants: readonly RoleGrant[],
    /** When the access token expires: long-lived responses (the audit stream) end then. */
    readonly expiresAt: Date | null = null,
  ) {}

  static fromClaims(claims: Record<string, unknown>, rolesClaim: string): AdminPrincipal {
    const raw = claims[rolesClaim];
    const grants = (Array.isArray(raw) ? raw : []).flatMap((value) => {
      const grant = typeof value === 'string' ? parseRoleGrant(value) : null;
      return grant ? [grant] : [];
    });
    const exp = claims['exp'];
    return new AdminPrincipal(String(claims['sub']), grants, typeof exp === 'number' ? new Date(exp * 1000) : null);
  }

  get isPlatformAdmin(): boolean {
    return this.grants.some((grant) => grant.role === 'platform_admin');
  }

  /** Platform-wide routes (tenant list and creation): 403 for anyone else. */
  requirePlatformAdmin(): void {
    if (!this.isPlatformAdmin) throw new AdminProblem('forbidden', 'this operation needs the platform_admin role');
  }

  /**
   * A tenant's management routes. A caller without access gets the same 404 as for a
   * tenant that does not exist: no route reveals another tenant's existence.
   */
  requireTenantAdmin(slug: string): void {
    if (this.isPlatformAdmin || this.holds('tenant_admin', slug)) return;
    // A security analyst knows the tenant exists; management is simply not theirs.
    if (this.holds('security_analyst', slug)) throw new AdminProblem('forbidden', 'this operation needs the tenant_admin role');
    throw new AdminProblem('tenant_not_found', `unknown tenant "${slug}"`, 'tenant');
  }

  /** A tenant's audit records (read-only): its security analysts, its admins and platform admins; 404 for anyone else. */
  requireAuditReader(slug: string): void {
    if (this.isPlatformAdmin || this.holds('tenant_admin', slug) || this.holds('security_analyst', slug)) return;
    throw new AdminProblem('tenant_not_found', `unknown tenant "${slug}"`, 'tenant');
  }

  private holds(role: RoleGrant['role'], slug: string): boolean {
    return this.grants.some((grant) => grant.role === role && grant.tenant === slug);
  }
}
