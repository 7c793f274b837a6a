import type { GatehouseConfig } from '@gatehouse/config';
import type { Client, NewClient, Persistence } from '@gatehouse/persistence';
import type { TenantId } from '@gatehouse/protocol';
import { ADMIN_SCOPE } from '../auth/admin-roles.js';

/** The first-party client a human administrator signs in with; its client_id is fixed so the console can name it. */
export const ADMIN_CONSOLE_CLIENT_ID = 'admin-console';

export type ConsoleClientOutcome = 'created' | 'redirects_updated' | 'unchanged';

/**
 * The console is a browser app served under PUBLIC_URL: a public client (PKCE, no
 * secret, OAuth 2.1 §2.1) whose redirect URIs follow PUBLIC_URL.
 */
export function adminConsoleClient(publicUrl: string): NewClient {
  return {
    clientId: ADMIN_CONSOLE_CLIENT_ID,
    name: 'Gatehouse admin console',
    applicationType: 'web',
    tokenEndpointAuthMethod: 'none',
    secretHash: null,
    redirectUris: [`${publicUrl}/console/callback`],
    postLogoutRedirectUris: [`${publicUrl}/console/`],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile', 'email', 'offline_access', ADMIN_SCOPE],
    jwks: null,
    firstParty: true,
    rotateRefreshTokens: true,
    // The one client admin-API tokens are issued to (issue 10): a property only this bootstrap sets, not the name.
    adminConsole: true,
  };
}

/**
 * Creates the console client once; afterwards only its redirect URIs are kept in step
 * with PUBLIC_URL (a moved deployment), anything else an operator changed is left alone.
 * Concurrent instances race on the unique (tenant, client_id) index: the loser finds the winner's row.
 */
export async function ensureAdminConsoleClient(
  config: GatehouseConfig,
  persistence: Persistence,
  systemId: TenantId,
  options: { updateRedirects?: boolean } = {},
): Promise<ConsoleClientOutcome> {
  const clients = persistence.repositories.clients;
  const wanted = adminConsoleClient(config.publicUrl);
  let existing = await clients.findByClientId(systemId, ADMIN_CONSOLE_CLIENT_ID);
  if (!existing) {
    try {
      await clients.insert(systemId, wanted);
      return 'created';
    } catch (error) {
      existing = await clients.findByClientId(systemId, ADMIN_CONSOLE_CLIENT_ID);
      if (!existing) throw error;
    }
  }
  // The CLI runs this bootstrap too, often with another (or no) PUBLIC_URL: only servers move the redirects.
  if (sameRedirects(existing, wanted) || options.updateRedirects === false) return 'unchanged';
  await clients.updateMetadata(systemId, ADMIN_CONSOLE_CLIENT_ID, {
    redirectUris: wanted.redirectUris,
    postLogoutRedirectUris: wanted.postLogoutRedirectUris ?? [],
  });
  return 'redirects_updated';
}

function sameRedirects(existing: Client, wanted: NewClient): boolean {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, index) => value === b[index]);
  return same(existing.redirectUris, wanted.redirectUris) && same(existing.postLogoutRedirectUris, wanted.postLogoutRedirectUris ?? []);
}
