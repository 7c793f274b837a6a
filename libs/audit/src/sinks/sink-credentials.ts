import { decryptPrivateKey, encryptPrivateKey } from '@gatehouse/tokens';

/** What a sink needs to authenticate to its receiver: usable in the clear at delivery, so sealed (not hashed) at rest. */
export interface SinkCredentials {
  /** Splunk HEC token. */
  readonly token?: string | undefined;
  /** Webhook HMAC secret. */
  readonly secret?: string | undefined;
  /** PEM CA bundle, client certificate and key for syslog over TLS. */
  readonly tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean; servername?: string } | undefined;
}

/**
 * AES-256-GCM under the key-encryption key, bound to the sink's tenant and id, so a sealed
 * value copied onto another sink's row does not open.
 */
export class SinkCredentialsSealer {
  constructor(private readonly keyEncryptionKey: Buffer) {}

  seal(sink: { tenantId: string; id: string }, credentials: SinkCredentials): string | null {
    if (!credentials.token && !credentials.secret && !credentials.tls) return null;
    return encryptPrivateKey(this.keyEncryptionKey, JSON.stringify(credentials), associatedData(sink));
  }

  open(sink: { tenantId: string; id: string; credentials: string | null }): SinkCredentials {
    if (!sink.credentials) return {};
    return JSON.parse(decryptPrivateKey(this.keyEncryptionKey, sink.credentials, associatedData(sink))) as SinkCredentials;
  }
}

function associatedData(sink: { tenantId: string; id: string }): string {
  return `siem-sink:${sink.tenantId}:${sink.id}`;
}
