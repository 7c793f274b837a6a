import { isValidS256Challenge } from '@gatehouse/pkce';
import { InvalidRequest } from '@gatehouse/protocol';
import type { AuthorizeDraft } from '../authorization-request.js';

/** PKCE for every client, S256 only (OAuth 2.1 §4.1.1, RFC 9700 §2.1.1); an absent method means plain (RFC 7636 §4.3). */
export function checkPkce(draft: AuthorizeDraft): void {
  const challenge = draft.params['code_challenge'];
  if (challenge === undefined) throw new InvalidRequest({ hint: 'code_challenge is required (PKCE)' });
  const method = draft.params['code_challenge_method'] ?? 'plain';
  if (method !== 'S256') throw new InvalidRequest({ hint: 'code_challenge_method must be S256' });
  if (!isValidS256Challenge(challenge)) throw new InvalidRequest({ hint: 'code_challenge is not a valid S256 challenge' });
  draft.codeChallenge = challenge;
}
