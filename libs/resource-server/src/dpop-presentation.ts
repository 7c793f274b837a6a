import type { X509Certificate } from 'node:crypto';
import { DPOP_ALGORITHMS, OAuthError, singleDpopProof, verifyDpopProof, type AssertionReplayStore } from '@gatehouse/protocol';
import { BearerError } from './bearer-error.js';

export interface ResourceDpopOptions {
  /** The resource's public base URL: a proof's htu must be it plus the request path (never the Host header). */
  readonly publicUrl: string;
  /** jti single use (RFC 9449 §11.1): Redis-backed across instances; a store that fails refuses the proof. */
  readonly replay: AssertionReplayStore;
  /** How old a proof's iat may be; 60 s by default. */
  readonly maxAgeSeconds?: number;
}

/** What a request presents besides its token: the DPoP header(s), the method and the path (query ignored). */
export interface PresentedRequest {
  readonly authorization: string | undefined;
  readonly dpop?: string | readonly string[] | undefined;
  readonly method: string;
  readonly path: string;
  /** RFC 8705 §3: the TLS client certificate, for a certificate-bound token. */
  readonly certificate?: X509Certificate | undefined;
}

const DEFAULT_MAX_AGE_SECONDS = 60;

/** RFC 9449 §7.1 at a resource: the proof for this request, by the key the token is bound to, hashing the token (ath). */
export async function checkDpopPresentation(
  options: ResourceDpopOptions,
  request: PresentedRequest,
  token: string,
  jkt: string,
  now: Date,
): Promise<void> {
  const refuse = (description: string) => new BearerError('invalid_dpop_proof', description, { dpopAlgs: DPOP_ALGORITHMS });
  let proofJkt: string;
  try {
    const url = new URL(request.path, `${options.publicUrl.replace(/\/$/, '')}/`);
    ({ jkt: proofJkt } = await verifyDpopProof(singleDpopProof(request.dpop), {
      method: request.method,
      url: `${options.publicUrl.replace(/\/$/, '')}${url.pathname}`,
      now,
      maxAgeSeconds: options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS,
      accessToken: token,
      replay: options.replay,
      replayScope: 'resource',
    }));
  } catch (error) {
    if (error instanceof OAuthError) throw refuse(error.fullDescription);
    throw error;
  }
  if (proofJkt !== jkt) throw refuse('The DPoP proof is not signed by the key the token is bound to');
}

/** RFC 9449 §6.1: the thumbprint a token is bound to, if any. */
export function confirmationJkt(claims: Record<string, unknown>): string | undefined {
  const cnf = claims['cnf'];
  if (typeof cnf !== 'object' || cnf === null) return undefined;
  const jkt = (cnf as Record<string, unknown>)['jkt'];
  return typeof jkt === 'string' ? jkt : undefined;
}
