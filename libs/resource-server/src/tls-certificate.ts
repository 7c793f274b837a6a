import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

/** The client certificate of a TLS connection this process terminated itself (RFC 8705); none behind a proxy. */
export function tlsClientCertificate(socket: unknown): X509Certificate | undefined {
  const tls = socket as Partial<TLSSocket> | undefined;
  if (tls?.encrypted !== true || typeof tls.getPeerCertificate !== 'function') return undefined;
  const raw = tls.getPeerCertificate(false).raw;
  return raw && raw.length > 0 ? new X509Certificate(raw) : undefined;
}
