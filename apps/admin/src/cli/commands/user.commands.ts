import { formatRoleGrant, requireRoleGrants } from '../../auth/admin-roles.js';
import { AdminProblem } from '../../errors/admin-problem.js';
import { SYSTEM_TENANT } from '../../platform/platform-bootstrap.js';
import type { CliContext, CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

export const userCreate: CliCommand = {
  name: 'user create',
  summary: 'Create a user in a tenant (password from stdin with --password-stdin)',
  usage: 'user create --tenant SLUG --username U [--email E] [--password-stdin] [--role ROLE ...]',
  options: {
    tenant: { type: 'string' },
    username: { type: 'string' },
    email: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    role: { type: 'string', multiple: true },
  },
  async run({ services, output, readStdin }, positionals, values) {
    const tenant = values['tenant'];
    const username = values['username'];
    if (positionals.length > 0 || typeof tenant !== 'string' || typeof username !== 'string') {
      throw new UsageError('user create needs --tenant and --username');
    }
    const roles = await adminRoles(services, tenant, (values['role'] as string[] | undefined) ?? []);
    // One trailing newline is what `echo` or a terminal adds; it is not part of the password.
    const password = values['password-stdin'] ? (await readStdin()).replace(/\r?\n$/, '') : undefined;
    const user = await services.users.create({ tenant, username, email: values['email'] as string | undefined, password, roles });
    output.result(
      { id: user.id, tenant, username: user.username, email: user.email, ...(roles.length > 0 ? { roles: user.roles } : {}) },
      `Created user ${user.username} in tenant ${tenant}${password === undefined ? ' (no password set)' : ''}${
        roles.length > 0 ? ` with roles ${roles.join(', ')}` : ''
      }`,
    );
  },
};

/**
 * Admin roles are read from system-tenant users only (the authorization app ignores
 * them elsewhere), so granting one in another tenant would be a silent no-op: refuse it.
 * A tenant-scoped grant must name an existing tenant, to catch typos.
 */
async function adminRoles(services: CliContext['services'], tenant: string, values: readonly string[]): Promise<string[]> {
  if (values.length === 0) return [];
  if (tenant !== SYSTEM_TENANT) {
    throw new AdminProblem('validation_failed', `admin roles are granted to users of the "${SYSTEM_TENANT}" tenant only`, 'role');
  }
  const grants = requireRoleGrants(values);
  for (const grant of grants) if (grant.tenant) await services.tenants.get(grant.tenant);
  return [...new Set(grants.map(formatRoleGrant))];
}
