import { compactVerify, decodeProtectedHeader, errors, type CryptoKey, type ProtectedHeaderParameters } from 'jose';
import { isSigningAlgorithm, type SigningAlgorithm } from '../keys/signing-algorithm.js';

export interface IdTokenHintVerificationOptions {
  readonly issuer: string;
  /** The issuer's public key for a kid, null when unknown. Its failures propagate unchanged. */
  readonly keyFor: (kid: string) => Promise<CryptoKey | null>;
  readonly algorithms: readonly SigningAlgorithm[];
}

/** What an end-session request needs from the hint. */
export interface IdTokenHint {
  readonly sub: string;
  readonly aud: string[];
  readonly sid?: string;
}

/**
 * Verifies an `id_token_hint` (OIDC RP-Initiated Logout 1.0 §2): one of our ID tokens, signed by
 * a key of this issuer, but possibly expired, so `exp` (and `nbf`, `iat`) are not checked. Null
 * for anything else; only a failing key lookup throws.
 */
export async function verifyIdTokenHint(token: string, options: IdTokenHintVerificationOptions): Promise<IdTokenHint | null> {
  const header = protectedHeader(token);
  if (!header || !isIdTokenTyp(header.typ)) return null;
  // Checked before any key is touched: "none", HS256 with a public key as secret, and the like.
  if (!header.alg || !isSigningAlgorithm(header.alg) || !options.algorithms.includes(header.alg)) return null;
  const key = typeof header.kid === 'string' ? await options.keyFor(header.kid) : null;
  if (!key) return null;
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token, key, { algorithms: [...options.algorithms] }));
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) return null;
    throw error;
  }
  return claimsOf(payload, options.issuer);
}

function claimsOf(payload: Uint8Array, issuer: string): IdTokenHint | null {
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return null;
  }
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) return null;
  const { iss, sub, aud, sid } = claims as Record<string, unknown>;
  const audiences: unknown[] = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? (aud as unknown[]) : [];
  if (iss !== issuer || typeof sub !== 'string' || sub === '') return null;
  if (audiences.length === 0 || !audiences.every((value): value is string => typeof value === 'string')) return null;
  if (sid !== undefined && typeof sid !== 'string') return null;
  return { sub, aud: audiences, ...(sid === undefined ? {} : { sid }) };
}

/** Our ID tokens say "JWT"; an access token (at+jwt) or a logout token (logout+jwt) is no hint. */
function isIdTokenTyp(typ: unknown): boolean {
  return typ === undefined || (typeof typ === 'string' && typ.toUpperCase() === 'JWT');
}

function protectedHeader(token: string): ProtectedHeaderParameters | null {
  try {
    return decodeProtectedHeader(token);
  } catch {
    return null;
  }
}
