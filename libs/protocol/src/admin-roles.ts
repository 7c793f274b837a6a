import { isValidTenantSlug } from './tenant-slug.js';

/**
 * The admin API's contract with the tokens that call it, shared by the admin app (which
 * reads it) and the authorization app (which puts roles into admin tokens).
 */

/** The platform's own tenant: its users hold admin roles, and it issues admin tokens. */
export const SYSTEM_TENANT = 'system';
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

/** A grant worth putting in a token: it parses and names a well-formed tenant slug. */
export function isRoleGrant(value: string): boolean {
  const grant = parseRoleGrant(value);
  return grant !== null && (grant.tenant === null || isValidTenantSlug(grant.tenant));
}

export function formatRoleGrant(grant: RoleGrant): string {
  return grant.tenant ? `${grant.role}:${grant.tenant}` : grant.role;
}
