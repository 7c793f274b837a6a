import { InvalidRequest, resolveDpopPolicy } from '@gatehouse/protocol';
import type { AuthorizeDraft } from '../authorization-request.js';

/** An RFC 7638 SHA-256 thumbprint, base64url without padding. */
const JWK_THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;

/**
 * RFC 9449 §10: `dpop_jkt` binds the code to the key whose proof must redeem it. Read from the
 * request's parameters, so a pushed request (PAR) carries it the same way. A tenant without
 * DPoP ignores it, as a server that does not know the parameter would.
 */
export function checkDpopJkt(draft: AuthorizeDraft): void {
  const jkt = draft.params['dpop_jkt'];
  if (jkt === undefined || !resolveDpopPolicy(draft.tenant.dpopPolicy).enabled) return;
  if (!JWK_THUMBPRINT.test(jkt)) throw new InvalidRequest({ hint: 'dpop_jkt must be a base64url SHA-256 JWK thumbprint' });
  draft.dpopJkt = jkt;
}
