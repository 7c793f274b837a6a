import { parseRoleGrant, type RoleGrant } from '@gatehouse/protocol';
import { AdminProblem } from '../errors/admin-problem.js';

export {
  ADMIN_API_IDENTIFIER,
  ADMIN_ROLES,
  ADMIN_SCOPE,
  ROLES_CLAIM,
  formatRoleGrant,
  parseRoleGrant,
  type AdminRole,
  type RoleGrant,
} from '@gatehouse/protocol';

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
