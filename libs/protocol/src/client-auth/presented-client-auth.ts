/** RFC 7523 §2.2: the only client_assertion_type accepted. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

import type { X509Certificate } from 'node:crypto';

/** What the request presented, before anything is verified against the registered client. */
export type PresentedClientAuth =
  | { method: 'client_secret_basic'; clientId: string; clientSecret: string }
  | { method: 'client_secret_post'; clientId: string; clientSecret: string }
  | { method: 'private_key_jwt'; clientId: string; assertion: string }
  | { method: 'none'; clientId: string }
  /** RFC 8705 §2: a client_id and a TLS client certificate; which of the two mTLS methods depends on the registration. */
  | { method: 'tls_client_certificate'; clientId: string; certificate: X509Certificate };
