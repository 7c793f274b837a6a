import type { Tenant, User } from '@gatehouse/persistence';
import { isValidTenantSlug } from '@gatehouse/protocol';

// The admin app's contract (apps/admin/src/auth/admin-roles.ts, platform-bootstrap.ts). Apps do not
// import each other, so it is restated here; admin-roles-claim.spec.ts checks the two agree.
/** The platform's own tenant: only its users can hold admin roles. */
export const SYSTEM_TENANT = 'system';
/** The admin API's resource identifier (RFC 8707): the audience of admin tokens. */
export const ADMIN_API_IDENTIFIER = 'urn:gatehouse:admin';
/** The access token claim the admin API's guard reads the caller's roles from. */
export const ROLES_CLAIM = 'gatehouse_roles';

const PLATFORM_ROLE = 'platform_admin';
const TENANT_ROLES: readonly string[] = ['tenant_admin', 'security_analyst'];

/** `platform_admin`, or `tenant_admin:<slug>` / `security_analyst:<slug>`; anything else is not a role grant. */
export function isRoleGrant(value: string): boolean {
  if (value === PLATFORM_ROLE) return true;
  const [role, tenant, ...rest] = value.split(':');
  return rest.length === 0 && TENANT_ROLES.includes(role ?? '') && tenant !== undefined && isValidTenantSlug(tenant);
}

/**
 * The roles claim of an access token: the user's admin role grants, read from the user
 * row at issuance (so a refresh after a role was removed no longer carries it). Only for a
 * user of the system tenant, and only in a token whose audience is the admin API: a token
 * for any other API, any other tenant's tokens, and client_credentials tokens (no user) get none.
 */
export function adminRolesClaim(tenant: Tenant, audience: string, user: User | undefined): Record<string, string[]> {
  if (!user || user.tenantId !== tenant.id || tenant.slug !== SYSTEM_TENANT || audience !== ADMIN_API_IDENTIFIER) return {};
  const grants = [...new Set(user.roles.filter(isRoleGrant))];
  return grants.length > 0 ? { [ROLES_CLAIM]: grants } : {};
}
