import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ReadinessCheck, ReadinessReport } from './health-check.js';

const DAY_MS = 24 * 3600 * 1000;
const CACHE_MS = 60_000;

/**
 * The server certificate of a TLS listener the app terminates itself (MTLS_PORT): degraded within
 * `warnDays` of its expiry, unhealthy once expired or not yet valid (clients' handshakes fail), with the
 * expiry in the details. Read from the file at most once a minute, so a renewed file shows up.
 */
export function tlsCertificateReadiness(
  name: string,
  certFile: string,
  options: { readonly warnDays: number; readonly now?: () => Date },
): ReadinessCheck {
  const now = options.now ?? (() => new Date());
  let cached: { at: number; certificate: X509Certificate } | undefined;
  return {
    name,
    async check(): Promise<ReadinessReport> {
      const at = now();
      if (!cached || at.getTime() - cached.at >= CACHE_MS)
        cached = { at: at.getTime(), certificate: new X509Certificate(await readFile(certFile)) };
      const { certificate } = cached;
      const notAfter = new Date(certificate.validTo);
      const details = { not_after: notAfter.toISOString(), subject: certificate.subject.replace(/\n/g, ', ') };
      if (at < new Date(certificate.validFrom) || at >= notAfter)
        return { status: 'unhealthy', error: 'the TLS certificate is not valid now', details };
      if (notAfter.getTime() - at.getTime() <= options.warnDays * DAY_MS)
        return { status: 'degraded', error: `the TLS certificate expires within ${options.warnDays} days`, details };
      return { status: 'healthy', details };
    },
  };
}
