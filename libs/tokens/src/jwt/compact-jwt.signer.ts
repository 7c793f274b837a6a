import { constants, sign, type SignKeyObjectInput } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { SigningAlgorithm } from '../keys/signing-algorithm.js';
import type { ActiveSigningKey } from '../signing/tenant-key-set.js';

/** RFC 7518 §3.3–3.5 and RFC 8037 §3.1 as node:crypto sign options. */
const SIGN_OPTIONS: Readonly<Record<SigningAlgorithm, { digest: string | null; options: Omit<SignKeyObjectInput, 'key'> }>> = {
  ES256: { digest: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
  RS256: { digest: 'sha256', options: { padding: constants.RSA_PKCS1_PADDING } },
  PS256: { digest: 'sha256', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } },
  EdDSA: { digest: null, options: {} },
};

/**
 * A compact JWS (RFC 7515 §7.1) of the claims. Signed with node:crypto's one-shot `sign`, which
 * costs a fraction of a WebCrypto `subtle.sign` round trip on the token endpoint's hot path; the
 * result is the same JWS any verifier (jose included) accepts.
 */
export function signCompactJwt(key: ActiveSigningKey, typ: string, claims: JWTPayload): Promise<string> {
  // A promise, as jose's was: a key node:crypto cannot use rejects rather than throws.
  return new Promise((resolve) => resolve(signNow(key, typ, claims)));
}

function signNow(key: ActiveSigningKey, typ: string, claims: JWTPayload): string {
  const header = { alg: key.alg, kid: key.kid, typ };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const { digest, options } = SIGN_OPTIONS[key.alg];
  const signature = sign(digest, Buffer.from(signingInput, 'ascii'), { key: key.privateKey, ...options });
  return `${signingInput}.${signature.toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
