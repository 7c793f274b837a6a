import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { s256 } from './pkce.js';

/**
 * A DPoP key (RFC 9449): proofs for each request, and the last nonce each server origin sent
 * (§8, §9), so the next proof carries it.
 */
export class DpopKey {
  private readonly nonces = new Map<string, string>();

  private constructor(
    private readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
    /** RFC 7638 thumbprint: the `cnf.jkt` of tokens bound to this key, and `dpop_jkt` at /authorize. */
    readonly thumbprint: string,
    readonly alg: string,
  ) {}

  /** A new ES256 key (or another of `ES256`, `ES384`, `EdDSA`, `PS256`, `RS256`), not extractable. */
  static async generate(alg = 'ES256'): Promise<DpopKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg);
    const { kty, crv, x, y, n, e } = await exportJWK(publicKey);
    const publicJwk = Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, value]) => value !== undefined)) as JWK;
    return new DpopKey(privateKey, publicJwk, await calculateJwkThumbprint(publicJwk, 'sha256'), alg);
  }

  /** A proof for one request: `htu` without query and fragment (§4.2), `ath` when a token goes with it. */
  async proof(method: string, url: string, accessToken?: string): Promise<string> {
    const target = new URL(url);
    const nonce = this.nonces.get(target.origin);
    target.search = '';
    target.hash = '';
    return new SignJWT({
      htm: method.toUpperCase(),
      htu: target.toString(),
      jti: randomUUID(),
      ...(accessToken ? { ath: s256(accessToken) } : {}),
      ...(nonce ? { nonce } : {}),
    })
      .setProtectedHeader({ alg: this.alg, typ: 'dpop+jwt', jwk: this.publicJwk })
      .setIssuedAt()
      .sign(this.privateKey);
  }

  /** Remembers a `DPoP-Nonce` the response carried; true when it is new (a refused request may be retried with it). */
  rememberNonce(url: string, response: Response): boolean {
    const nonce = response.headers.get('dpop-nonce');
    if (!nonce) return false;
    const origin = new URL(url).origin;
    const changed = this.nonces.get(origin) !== nonce;
    this.nonces.set(origin, nonce);
    return changed;
  }
}

/** §8 (authorization server: 400 `use_dpop_nonce`) and §9 (resource server: 401 with the error in WWW-Authenticate). */
export async function asksForNonce(response: Response): Promise<boolean> {
  if (response.status === 401) return /error="use_dpop_nonce"/.test(response.headers.get('www-authenticate') ?? '');
  if (response.status !== 400) return false;
  try {
    return ((await response.clone().json()) as { error?: unknown }).error === 'use_dpop_nonce';
  } catch {
    return false;
  }
}
