import type { X509Certificate } from 'node:crypto';
import { bearerTokenOf, dpopTokenOf, InvalidRequest, InvalidToken } from '@gatehouse/protocol';

/** How a userinfo request presents its token: the Authorization scheme, and the DPoP header with it. */
export interface UserinfoPresentation {
  readonly authorization: string | undefined;
  readonly dpop: string | readonly string[] | undefined;
  readonly method: 'GET' | 'POST';
  /** RFC 8705 §3: the TLS client certificate, for a certificate-bound token. */
  readonly certificate?: X509Certificate | undefined;
}

export interface PresentedToken {
  readonly token: string;
  readonly scheme: 'Bearer' | 'DPoP';
}

/** RFC 6750 §2.1 (header) or §2.2 (form body), or RFC 9449 §7.1 (`DPoP` scheme); two places at once is invalid_request. */
export function presentedToken(authorization: string | undefined, body: unknown): PresentedToken {
  const fromBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['access_token'] : undefined;
  if (authorization !== undefined && fromBody !== undefined) throw new InvalidRequest({ hint: 'send the token in one place only' });
  const bearer = bearerTokenOf(authorization);
  if (bearer) return { token: bearer, scheme: 'Bearer' };
  const dpop = dpopTokenOf(authorization);
  if (dpop) return { token: dpop, scheme: 'DPoP' };
  if (typeof fromBody === 'string' && fromBody.length > 0) return { token: fromBody, scheme: 'Bearer' };
  throw new InvalidToken({ hint: 'a bearer access token is required' });
}

/** RFC 9449 §6.1: the thumbprint a token is bound to, if any. */
export function boundJkt(claims: Record<string, unknown>): string | undefined {
  const cnf = claims['cnf'];
  if (typeof cnf !== 'object' || cnf === null) return undefined;
  const jkt = (cnf as Record<string, unknown>)['jkt'];
  return typeof jkt === 'string' ? jkt : undefined;
}
