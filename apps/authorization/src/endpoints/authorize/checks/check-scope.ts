import { InvalidScope, parseScope } from '@gatehouse/protocol';
import type { Client } from '@gatehouse/persistence';
import type { AuthorizeDraft } from '../authorization-request.js';

/** Requested scopes limited to the client's allowed ones; nothing left is invalid_scope. */
export function checkScope(draft: AuthorizeDraft): void {
  const requested = parseScope(draft.params['scope'] ?? '');
  if (!requested) throw new InvalidScope({ hint: 'scope is malformed' });
  const allowed = new Set((draft.client as Client).scopes);
  const granted = requested.filter((scope) => allowed.has(scope));
  if (granted.length === 0) throw new InvalidScope({ hint: 'none of the requested scopes is allowed for this client' });
  draft.scopes = granted;
}
