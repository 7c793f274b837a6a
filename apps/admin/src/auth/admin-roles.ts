import { AdminProblem } from '../errors/admin-problem.js';

/** The admin API's audience (RFC 8707 resource) in the system tenant, and its one scope. */
export const ADMIN_API_IDENTIFIER = 'urn:gatehouse:admin';
export const ADMIN_SCOPE = 'admin';
/** The access token claim carrying the caller's admin roles. */
export const ROLES_CLAIM = 'gatehouse_roles';

export type AdminRole = 'platform_admin' | 'tenant_admin' | 'security_analyst';
export const ADMIN_ROLES: readonly AdminRole[] = ['platform_admin', 'tenant_admin', 'security_analyst'];

/**
 * A grant of a role: platform-wide (`platform_admin`) or for one tenant
 * (`tenant_admin:acme`, `security_analyst:acme`), as stored on system-tenant users.
 */
export interface RoleGrant {
  readonly role: AdminRole;
  readonly tenant: string | null;
}

export function parseRoleGrant(value: string): RoleGrant | null {
  const [role, tenant, ...rest] = value.split(':');
  if (rest.length > 0 || !ADMIN_ROLES.includes(role as AdminRole)) return null;
  if (role === 'platform_admin') return tenant === undefined ? { role, tenant: null } : null;
  return tenant ? { role: role as AdminRole, tenant } : null;
}

export function formatRoleGrant(grant: RoleGrant): string {
  return grant.tenant ? `${grant.role}:${grant.tenant}` : grant.role;
}

/** Role grants given by an operator (CLI `--role`), each checked by the same parser the admin API's guard uses. */
export function requireRoleGrants(values: readonly string[]): RoleGrant[] {
  return values.map((value) => {
    const grant = parseRoleGrant(value);
    if (!grant) {
      throw new AdminProblem(
        'validation_failed',
        `role ${JSON.stringify(value)} must be platform_admin, tenant_admin:<tenant> or security_analyst:<tenant>`,
        'role',
      );
    }
    return grant;
  });
}
