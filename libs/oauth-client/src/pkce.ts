import { randomBytes } from 'node:crypto';
import { generateCodeVerifier, s256Challenge } from '@gatehouse/pkce';

/** An RFC 7636 pair: the verifier stays with the client, the S256 challenge goes in the request. */
export interface PkcePair {
  readonly codeVerifier: string;
  readonly codeChallenge: string;
  readonly codeChallengeMethod: 'S256';
}

/** A 43-character verifier (§4.1) and its S256 challenge (§4.2), from Gatehouse's own PKCE lib. */
export function createPkcePair(): PkcePair {
  const codeVerifier = generateCodeVerifier();
  return { codeVerifier, codeChallenge: s256Challenge(codeVerifier), codeChallengeMethod: 'S256' };
}

/** BASE64URL(SHA-256(ASCII(value))): the S256 challenge, and DPoP's `ath` (RFC 9449 §4.2). */
export const s256 = s256Challenge;

/** 128 random bits, base64url: state and nonce values. */
export function randomValue(): string {
  return randomBytes(16).toString('base64url');
}
