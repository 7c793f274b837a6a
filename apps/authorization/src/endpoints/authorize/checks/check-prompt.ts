import { InvalidRequest, RequestNotSupported } from '@gatehouse/protocol';
import type { AuthorizeDraft } from '../authorization-request.js';

/**
 * The prompt values the flow acts on; discovery advertises exactly these. OIDC Core §3.1.2.1: a value
 * not declared in prompt_values_supported is invalid_request. select_account shows the login page with
 * the account signed in offered first.
 */
export const PROMPT_VALUES_SUPPORTED: readonly string[] = ['none', 'login', 'consent', 'select_account'];
const PROMPTS = new Set(PROMPT_VALUES_SUPPORTED);

/** OIDC Core §3.1.2.1: prompt values, `none` alone; max_age a non-negative integer; nonce bounded. */
export function checkPrompt(draft: AuthorizeDraft): void {
  const prompt = (draft.params['prompt'] ?? '').split(' ').filter(Boolean);
  if (prompt.some((value) => !PROMPTS.has(value))) throw new InvalidRequest({ hint: 'prompt has an unsupported value' });
  if (prompt.includes('none') && prompt.length > 1) throw new InvalidRequest({ hint: 'prompt=none cannot be combined with other values' });
  draft.prompt = prompt;

  const maxAge = draft.params['max_age'];
  if (maxAge !== undefined) {
    if (!/^\d{1,9}$/.test(maxAge)) throw new InvalidRequest({ hint: 'max_age must be a non-negative integer' });
    draft.maxAge = Number(maxAge);
  }
  if ((draft.params['nonce']?.length ?? 0) > 512) throw new InvalidRequest({ hint: 'nonce is too long' });
  if ((draft.params['state']?.length ?? 0) > 2048) throw new InvalidRequest({ hint: 'state is too long' });
  if (draft.params['request'] !== undefined) throw new RequestNotSupported();
}
