import { InvalidRequest } from '@gatehouse/protocol';
import type { AuthorizeDraft } from '../authorization-request.js';
import type { ClientCache } from '../../../tenancy/client-cache.js';

/** An unknown client is never redirected to: the caller renders an error page (RFC 6749 §4.1.2.1). */
export async function checkClient(draft: AuthorizeDraft, clients: ClientCache): Promise<void> {
  const clientId = draft.params['client_id'];
  const client = clientId ? await clients.find(draft.tenant.id, clientId) : null;
  if (!client) throw new InvalidRequest({ hint: 'unknown client_id', cause: `client_id ${clientId ?? '(missing)'}` });
  draft.client = client;
}
