import type { Client } from '@gatehouse/persistence';
import { fapi2ClientProblem, InvalidRequest, UnauthorizedClient } from '@gatehouse/protocol';
import { isFapi2 } from '../../../tenancy/security-profile.js';
import type { AuthorizeDraft } from '../authorization-request.js';

/**
 * FAPI 2.0 Security Profile (docs/adr/0020), beyond what the other checks hold every tenant to
 * (response_type code, PKCE S256, pushed requests through the tenant's effective PAR setting):
 * §5.3.2.2 item 5, redirect_uri is required even where one is registered; §5.3.2.1 item 6, the
 * client is confidential with private_key_jwt or mTLS (/par refuses others at client authentication).
 */
export function checkSecurityProfile(draft: AuthorizeDraft): void {
  if (!isFapi2(draft.tenant)) return;
  const problem = fapi2ClientProblem(draft.client as Client);
  if (problem) throw new UnauthorizedClient({ hint: problem });
  if (draft.params['redirect_uri'] === undefined) throw new InvalidRequest({ hint: 'redirect_uri is required (FAPI 2.0)' });
}
