import { InvalidDpopProof } from '../errors/dpop.errors.js';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * RFC 9449 §4.3 item 1: exactly one DPoP header, holding one compact JWS. Node joins repeated
 * headers with ", ", which no JWS contains, so two headers fail the shape check.
 */
export function singleDpopProof(header: string | readonly string[] | undefined): string {
  if (header === undefined) throw new InvalidDpopProof({ hint: 'a DPoP proof is required' });
  if (typeof header !== 'string' || !COMPACT_JWS.test(header))
    throw new InvalidDpopProof({ hint: 'exactly one DPoP header holding one JWT is allowed' });
  return header;
}
