import { createHash, randomBytes } from 'node:crypto';

/** An RFC 7636 pair: the verifier stays with the client, the S256 challenge goes in the request. */
export interface PkcePair {
  readonly codeVerifier: string;
  readonly codeChallenge: string;
  readonly codeChallengeMethod: 'S256';
}

/** 32 random octets as a 43-character verifier (§4.1) and its S256 challenge (§4.2). */
export function createPkcePair(): PkcePair {
  const codeVerifier = randomBytes(32).toString('base64url');
  return { codeVerifier, codeChallenge: s256(codeVerifier), codeChallengeMethod: 'S256' };
}

export function s256(value: string): string {
  return createHash('sha256').update(value, 'ascii').digest('base64url');
}

/** 128 random bits, base64url: state and nonce values. */
export function randomValue(): string {
  return randomBytes(16).toString('base64url');
}
