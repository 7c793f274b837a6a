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
 * A compact JWS (RFC 7515 §7.1) of the claims, with node:crypto's one-shot `sign` (a fraction of a
 * WebCrypto `subtle.sign` round trip); the result is the same JWS any verifier (jose included) accepts.
 * An RSA signature (RS256, PS256: about 0.7 ms here) is computed on libuv's thread pool, off the event
 * loop; an ES256 or EdDSA one (about 30 µs) in place, where the hop to the pool cost more than it saved
 * (bench/RESULTS.md, stop 37).
 */
export function signCompactJwt(key: ActiveSigningKey, typ: string, claims: JWTPayload): Promise<string> {
  // Everything in the executor: claims JSON cannot hold, or a key node:crypto cannot use, rejects rather than throws.
  return new Promise((resolve, reject) => {
    const signingInput = `${base64url(JSON.stringify({ alg: key.alg, kid: key.kid, typ }))}.${base64url(JSON.stringify(claims))}`;
    const { digest, options } = SIGN_OPTIONS[key.alg];
    const input = { key: key.privateKey, ...options };
    const data = Buffer.from(signingInput, 'ascii');
    const jws = (signature: Buffer) => `${signingInput}.${signature.toString('base64url')}`;
    if (!OFF_THE_EVENT_LOOP.has(key.alg)) resolve(jws(sign(digest, data, input)));
    // A failure on the pool reaches the callback (Node >= 20.19.2 and 24.0.2, CVE-2025-23166: the engines floor).
    else sign(digest, data, input, (error, signature) => (error ? reject(error) : resolve(jws(signature))));
  });
}

const OFF_THE_EVENT_LOOP: ReadonlySet<SigningAlgorithm> = new Set(['RS256', 'PS256']);

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
