import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile, type GatehouseConfig } from '@gatehouse/config';
import type { Persistence } from '@gatehouse/persistence';
import { ADMIN_API_IDENTIFIER, ADMIN_SCOPE, SYSTEM_TENANT } from '@gatehouse/protocol';
import { generateOpaqueSecret } from '@gatehouse/tokens';
import { AdminProblem } from '../errors/admin-problem.js';
import type { TenantService } from '../tenants/tenant.service.js';
import type { UserService } from '../users/user.service.js';
import { ensureAdminConsoleClient, type ConsoleClientOutcome } from './admin-console-client.js';

export { SYSTEM_TENANT };
export const PLATFORM_ADMIN_ROLE = 'platform_admin';
/** Where a generated platform admin password is kept: DATA_DIR, 0600 (issue 10 item 13: never stdout, which log drivers keep). */
export const ADMIN_PASSWORD_FILE_NAME = 'admin-password';

export interface BootstrapResult {
  readonly createdTenant: boolean;
  /** `passwordFile`: the 0600 file holding the generated password, when one was generated. */
  readonly createdAdmin: { readonly username: string; readonly passwordFile?: string } | null;
  /** What happened to the `admin-console` client; null when the system tenant could not be read. */
  readonly consoleClient: ConsoleClientOutcome | null;
}

/**
 * First start on an empty database: the `system` tenant, the admin API, the
 * `admin-console` client and a platform administrator. Idempotent (every start
 * runs it); concurrent instances settle on the unique constraints.
 */
export async function bootstrapPlatform(
  config: GatehouseConfig,
  persistence: Persistence,
  tenants: TenantService,
  users: UserService,
  options: { updateConsoleRedirects?: boolean } = {},
): Promise<BootstrapResult> {
  let createdTenant = false;
  let system = await persistence.repositories.tenants.findBySlug(SYSTEM_TENANT);
  if (!system) {
    try {
      await tenants.create(SYSTEM_TENANT, 'Gatehouse platform');
      createdTenant = true;
    } catch (error) {
      if (!(error instanceof AdminProblem && error.code === 'conflict')) throw error;
    }
    system = await persistence.repositories.tenants.findBySlug(SYSTEM_TENANT);
  }
  if (!system) return { createdTenant, createdAdmin: null, consoleClient: null };
  // The admin API is an API (RFC 8707 resource) of the system tenant: admin tokens name it as audience.
  await persistence.repositories.apis.insert(system.id, {
    identifier: ADMIN_API_IDENTIFIER,
    name: 'Gatehouse admin API',
    scopes: [ADMIN_SCOPE],
  });
  const consoleClient = await ensureAdminConsoleClient(config, persistence, system.id, {
    updateRedirects: options.updateConsoleRedirects ?? true,
  });
  if ((await persistence.repositories.users.countByTenant(system.id)) > 0) {
    return { createdTenant, createdAdmin: null, consoleClient };
  }

  const { username, password } = config.bootstrapAdmin;
  const generatedPassword = password === undefined ? generateOpaqueSecret(18) : undefined;
  // Written before the user exists, so a password that works is never lost with the process; to a
  // name of its own, so a concurrent start that loses the race cannot replace or remove the winner's.
  const passwordFile = generatedPassword === undefined ? undefined : join(config.dataDir, ADMIN_PASSWORD_FILE_NAME);
  const pendingFile = passwordFile && `${passwordFile}.${randomBytes(6).toString('hex')}.pending`;
  if (pendingFile) writePrivateFile(pendingFile, `${generatedPassword}\n`);
  try {
    await users.create({ tenant: SYSTEM_TENANT, username, password: password ?? generatedPassword, roles: [PLATFORM_ADMIN_ROLE] });
    if (pendingFile && passwordFile) renameSync(pendingFile, passwordFile);
  } catch (error) {
    if (pendingFile) rmSync(pendingFile, { force: true });
    if (error instanceof AdminProblem && error.code === 'conflict') return { createdTenant, createdAdmin: null, consoleClient };
    if (error instanceof AdminProblem && error.code === 'weak_password') {
      const variable = config.bootstrapAdmin.passwordFromFile ? 'ADMIN_PASSWORD_FILE' : 'ADMIN_PASSWORD';
      throw new AdminProblem('weak_password', `${variable}: ${error.message}`, variable);
    }
    throw error;
  }
  return { createdTenant, createdAdmin: passwordFile ? { username, passwordFile } : { username }, consoleClient };
}
