import { createHash } from 'node:crypto';
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  EmbeddedJWK,
  jwtVerify,
  type JWSAlgorithm,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import type { AssertionReplayStore } from '../client-auth/assertion-replay.store.js';
import { InvalidDpopProof, UseDpopNonce } from '../errors/dpop.errors.js';
import { TemporarilyUnavailable } from '../errors/rfc6749.errors.js';

/** RFC 9449 §4.2: asymmetric only; never `none` nor a MAC. */
export const DPOP_ALGORITHMS: readonly JWSAlgorithm[] = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
  'EdDSA',
];

/** Members only a private or symmetric JWK has (RFC 7518 §6.2.2, §6.3.2, §6.4). */
const NON_PUBLIC_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const DEFAULT_CLOCK_SKEW_SECONDS = 5;

/** Server nonces (§8, §9): the proof's nonce must be valid; `current` is what to send back when not. */
export interface DpopNonceCheck {
  isValid(nonce: string | undefined): boolean;
  current(): string;
}

export interface DpopProofCheck {
  /** The request's method and the URI it was sent to (the server's public URL, not a Host header). */
  readonly method: string;
  readonly url: string;
  readonly now: Date;
  /** §11.1: how old iat may be. */
  readonly maxAgeSeconds: number;
  readonly clockSkewSeconds?: number;
  /** Presented with the proof at a protected resource: the proof must carry its hash (§4.3 item 11). */
  readonly accessToken?: string;
  readonly nonce?: DpopNonceCheck;
  /** §11.1 jti single use; the scope keeps one deployment's (a tenant's) proofs apart from another's. */
  readonly replay: AssertionReplayStore;
  readonly replayScope: string;
  readonly algorithms?: readonly JWSAlgorithm[];
}

export interface VerifiedDpopProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's key: what `cnf.jkt` and `dpop_jkt` name. */
  readonly jkt: string;
  readonly jti: string;
}

/** RFC 9449 §4.3: every check of a DPoP proof JWT. Refusals are InvalidDpopProof or UseDpopNonce. */
export async function verifyDpopProof(proof: string, check: DpopProofCheck): Promise<VerifiedDpopProof> {
  const header = proofHeader(proof);
  if (header.typ !== 'dpop+jwt') throw refuse('typ must be dpop+jwt');
  const algorithms = check.algorithms ?? DPOP_ALGORITHMS;
  if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) throw refuse('alg is not an allowed asymmetric algorithm');
  const jwk = header.jwk;
  if (typeof jwk !== 'object' || jwk === null) throw refuse('the jwk header is missing');
  if (NON_PUBLIC_MEMBERS.some((member) => member in jwk)) throw refuse('the jwk header must hold a public key only');

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: [...algorithms],
      requiredClaims: ['jti', 'htm', 'htu', 'iat'],
      currentDate: check.now,
    }));
  } catch (error) {
    throw refuse('the signature or a claim is invalid', error);
  }

  if (payload['htm'] !== check.method) throw refuse('htm does not match the request method');
  if (!sameTarget(payload['htu'], check.url)) throw refuse('htu does not match the request URI');
  const skew = check.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const now = Math.floor(check.now.getTime() / 1000);
  const iat = payload.iat ?? 0;
  if (iat > now + skew) throw refuse('iat is in the future');
  if (iat < now - check.maxAgeSeconds - skew) throw refuse('the proof is too old');
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256) throw refuse('jti is missing or too long');
  if (check.accessToken !== undefined && payload['ath'] !== accessTokenHash(check.accessToken))
    throw refuse('ath does not match the access token');
  if (check.nonce && !check.nonce.isValid(typeof payload['nonce'] === 'string' ? payload['nonce'] : undefined))
    throw new UseDpopNonce({ nonce: check.nonce.current() });

  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  await markUsed(check, jkt, payload.jti, new Date((iat + check.maxAgeSeconds + skew) * 1000));
  return { jkt, jti: payload.jti };
}

/** §4.3 item 11 / §6.1: base64url SHA-256 of the access token's ASCII. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

function proofHeader(proof: string): ProtectedHeaderParameters {
  try {
    return decodeProtectedHeader(proof);
  } catch (error) {
    throw refuse('the proof is not a JWS', error);
  }
}

/** §4.3 item 9: htu compared without query and fragment, after RFC 3986 §6.2.2-6.2.3 normalization. */
function sameTarget(htu: unknown, expected: string): boolean {
  if (typeof htu !== 'string' || !URL.canParse(htu)) return false;
  const presented = new URL(htu);
  const target = new URL(expected);
  for (const url of [presented, target]) {
    url.search = '';
    url.hash = '';
  }
  return presented.href === target.href;
}

/** Fails closed: a replay cache that cannot answer refuses the proof rather than skip the check. */
async function markUsed(check: DpopProofCheck, jkt: string, jti: string, until: Date): Promise<void> {
  let fresh: boolean;
  try {
    fresh = await check.replay.markUsed(`${check.replayScope}:${jkt}`, jti, until);
  } catch (error) {
    throw new TemporarilyUnavailable({ hint: 'the DPoP replay check is unavailable', cause: error });
  }
  if (!fresh) throw refuse('jti was already used');
}

function refuse(hint: string, cause?: unknown): InvalidDpopProof {
  return new InvalidDpopProof({ hint, cause });
}
