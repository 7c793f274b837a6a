import { InvalidRequest, UnauthorizedClient, UnsupportedResponseType } from '@gatehouse/protocol';
import type { Client } from '@gatehouse/persistence';
import type { AuthorizeDraft } from '../authorization-request.js';

/** OAuth 2.1 removes the implicit and hybrid flows: `code` is the only response type, and no token leaves this endpoint. */
export function checkResponseType(draft: AuthorizeDraft): void {
  const responseType = draft.params['response_type'];
  if (responseType === undefined) throw new InvalidRequest({ hint: 'response_type is required' });
  if (responseType !== 'code') throw new UnsupportedResponseType({ hint: 'only response_type=code is supported' });
  const responseMode = draft.params['response_mode'];
  if (responseMode !== undefined && responseMode !== 'query') throw new InvalidRequest({ hint: 'only response_mode=query is supported' });
  if (!(draft.client as Client).grantTypes.includes('authorization_code')) {
    throw new UnauthorizedClient({ hint: 'the client may not use the authorization code grant' });
  }
}
