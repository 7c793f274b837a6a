import type { Client, Tenant, User } from '@gatehouse/persistence';
import { ROLES_CLAIM, isRoleGrant } from '@gatehouse/protocol';
import { isAdminApiAudience } from './admin-audience.js';

/**
 * The roles claim of an access token: the user's admin role grants, read from the user
 * row at issuance (so a refresh after a role was removed no longer carries it). Only for a
 * user of the system tenant, and only in a token whose audience is the admin API: a token
 * for any other API, any other tenant's tokens, and client_credentials tokens (no user) get none;
 * nor does a token issued to any client but the admin console (issue 10).
 */
export function adminRolesClaim(tenant: Tenant, client: Client, audience: string, user: User | undefined): Record<string, string[]> {
  if (!client.adminConsole) return {};
  if (!user || user.tenantId !== tenant.id || !isAdminApiAudience(tenant, audience)) return {};
  const grants = [...new Set(user.roles.filter(isRoleGrant))];
  return grants.length > 0 ? { [ROLES_CLAIM]: grants } : {};
}
