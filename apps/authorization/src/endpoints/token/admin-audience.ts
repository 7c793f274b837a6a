import type { Client, Tenant } from '@gatehouse/persistence';
import { ADMIN_API_IDENTIFIER, InvalidTarget, policyAllowsApi, SYSTEM_TENANT, type PolicyApi } from '@gatehouse/protocol';

/**
 * Issue 10: tokens for the admin API (its identifier as audience, in the system tenant) are
 * only ever issued to the first-party admin console — known by a property the platform
 * bootstrap sets on it, never by its name or id, which a registrant could imitate.
 */
export function mayReceiveAudience(tenant: Tenant, client: Client, resource: string): boolean {
  return client.adminConsole || !isAdminApiAudience(tenant, resource);
}

/** A token (or grant) for the admin API: the system tenant's, with the admin API's identifier as audience. */
export function isAdminApiAudience(tenant: Tenant, audience: string | null): boolean {
  return tenant.slug === SYSTEM_TENANT && audience === ADMIN_API_IDENTIFIER;
}

/** RFC 8707 §2: invalid_target for a resource this client may not have tokens for. */
export function requireAudienceAllowed(tenant: Tenant, client: Client, resource: string): void {
  if (!mayReceiveAudience(tenant, client, resource))
    throw new InvalidTarget({
      hint: 'this client may not request tokens for this resource',
      cause: 'admin API audience for another client',
    });
}

/**
 * RFC 8707 §2: invalid_target for an API this client may not have tokens for: the admin API
 * (above), and for a dynamically registered client any API its registration policy does not
 * allow (issue 10 item 2: the policy is per API, not per scope name).
 */
export function requireResourceAllowed(tenant: Tenant, client: Client, api: PolicyApi): void {
  requireAudienceAllowed(tenant, client, api.identifier);
  if (client.registrationPolicy && !policyAllowsApi(client.registrationPolicy, api))
    throw new InvalidTarget({
      hint: 'this client may not request tokens for this resource',
      cause: 'resource outside the registration policy',
    });
}
