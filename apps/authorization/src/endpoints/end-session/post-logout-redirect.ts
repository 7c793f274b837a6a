import type { Persistence, Session, Tenant } from '@gatehouse/persistence';
import type { LogoutRequest } from './logout-request.js';

/**
 * OIDC RP-Initiated Logout 1.0 §3: a post_logout_redirect_uri (already checked to be registered for
 * the request's client) is honoured only when the request proves it comes from that client: a valid
 * id_token_hint issued to it (resolveLogoutRequest checked the signature and that client_id, if any,
 * is its audience), or, without a hint, a live session in which that client took part, ended by the
 * person on the confirmation page. Anything else gets the signed-out page: a bare client_id and URI
 * are known to anyone, and redirecting on them alone is an open redirect through the OP.
 */
export async function mayRedirectAfterLogout(
  persistence: Persistence,
  tenant: Tenant,
  request: LogoutRequest,
  confirmedSession: Session | null,
): Promise<boolean> {
  if (request.postLogoutRedirectUri === null || request.client === null) return false;
  if (request.hint !== null) return true;
  if (confirmedSession === null) return false;
  const clients = await persistence.repositories.sessions.clientIdsOfSession(tenant.id, confirmedSession.id);
  return clients.includes(request.client.clientId);
}
