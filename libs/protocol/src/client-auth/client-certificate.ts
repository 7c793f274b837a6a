import { createPublicKey, X509Certificate } from 'node:crypto';

/** RFC 8705 §2.1.2: the one certificate attribute a tls_client_auth client registers. */
export const TLS_CLIENT_AUTH_SUBJECT_FIELDS = [
  'tls_client_auth_subject_dn',
  'tls_client_auth_san_dns',
  'tls_client_auth_san_uri',
  'tls_client_auth_san_ip',
  'tls_client_auth_san_email',
] as const;
export type TlsClientAuthSubjectField = (typeof TLS_CLIENT_AUTH_SUBJECT_FIELDS)[number];

export interface TlsClientAuthSubject {
  readonly field: TlsClientAuthSubjectField;
  readonly value: string;
}

/** True when the certificate carries the registered subject DN or subjectAltName entry. */
export function certificateMatchesSubject(certificate: X509Certificate, subject: TlsClientAuthSubject): boolean {
  if (subject.field === 'tls_client_auth_subject_dn') return sameDn(certificate.subject, subject.value);
  const prefix = SAN_PREFIX[subject.field];
  const entries = (certificate.subjectAltName ?? '').split(/,\s*/);
  return entries.some((entry) => entry === `${prefix}:${subject.value}`);
}

const SAN_PREFIX: Record<Exclude<TlsClientAuthSubjectField, 'tls_client_auth_subject_dn'>, string> = {
  tls_client_auth_san_dns: 'DNS',
  tls_client_auth_san_uri: 'URI',
  tls_client_auth_san_ip: 'IP Address',
  tls_client_auth_san_email: 'email',
};

/**
 * Compares an RFC 4514 DN ("CN=client,O=Acme") with node's one-RDN-per-line form, RDN order
 * ignored so both the most-specific-first and the openssl order match.
 */
function sameDn(nodeSubject: string, registered: string): boolean {
  const normalise = (rdns: string[]): string =>
    rdns
      .map((rdn) => rdn.trim())
      .filter(Boolean)
      .map((rdn) => {
        const at = rdn.indexOf('=');
        return `${rdn.slice(0, at).trim().toUpperCase()}=${rdn.slice(at + 1).trim()}`;
      })
      .sort()
      .join('\n');
  return normalise(nodeSubject.split('\n')) === normalise(registered.split(/(?<!\\),/).map((rdn) => rdn.replace(/\\,/g, ',')));
}

/** The certificate is within its validity and was issued and signed by one of the trusted CAs. */
export function chainsToTrustedCa(certificate: X509Certificate, trustedCas: readonly X509Certificate[], now: Date): boolean {
  if (!withinValidity(certificate, now)) return false;
  return trustedCas.some((ca) => withinValidity(ca, now) && certificate.checkIssued(ca) && certificate.verify(ca.publicKey));
}

export function withinValidity(certificate: X509Certificate, now: Date): boolean {
  return new Date(certificate.validFrom) <= now && now <= new Date(certificate.validTo);
}

/** RFC 8705 §3.1: the `x5t#S256` confirmation of a certificate-bound token. */
export function certificateThumbprint(certificate: X509Certificate): string {
  return Buffer.from(certificateSha256(certificate)).toString('base64url');
}

function certificateSha256(certificate: X509Certificate): Buffer {
  return Buffer.from(certificate.fingerprint256.replace(/:/g, ''), 'hex');
}

/**
 * self_signed_tls_client_auth (RFC 8705 §2.2): the certificate is one the client registered in its
 * jwks, as the key's x5c[0] or by the same public key.
 */
export function certificateInJwks(certificate: X509Certificate, jwks: { keys: Record<string, unknown>[] } | null): boolean {
  if (!jwks) return false;
  const presentedDer = certificate.raw;
  const presentedKey = certificate.publicKey.export({ format: 'der', type: 'spki' });
  return jwks.keys.some((jwk) => {
    const x5c = jwk['x5c'];
    if (Array.isArray(x5c) && typeof x5c[0] === 'string' && Buffer.from(x5c[0], 'base64').equals(presentedDer)) return true;
    try {
      return createPublicKey({ key: jwk as never, format: 'jwk' })
        .export({ format: 'der', type: 'spki' })
        .equals(presentedKey);
    } catch {
      return false;
    }
  });
}

/** Parses one PEM certificate; undefined when it is not one. */
export function parseCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** Every certificate of a PEM bundle (MTLS_CA_FILE). */
export function parseCertificateBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

/**
 * RFC 8705 §3: a token whose `cnf` names a certificate (`x5t#S256`) is honoured only with that
 * certificate presented. Null when the token may be used; otherwise why not.
 */
export function certificateBindingProblem(claims: Record<string, unknown>, certificate: X509Certificate | undefined): string | null {
  const cnf = claims['cnf'];
  const bound = typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>)['x5t#S256'] : undefined;
  if (bound === undefined) return null;
  if (!certificate) return 'certificate-bound token without a client certificate';
  return bound === certificateThumbprint(certificate) ? null : 'the client certificate is not the one the token is bound to';
}
