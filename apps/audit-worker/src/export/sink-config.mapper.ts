import type { SiemSinkConfig, SinkCredentials } from '@gatehouse/audit';
import type { SiemSink } from '@gatehouse/persistence';

/** A stored sink and its opened credentials, as the transports take them. */
export function toSinkConfig(sink: SiemSink, credentials: SinkCredentials): SiemSinkConfig {
  return {
    id: sink.id,
    tenantId: sink.tenantId,
    type: sink.type,
    url: sink.url,
    format: sink.format,
    token: credentials.token,
    secret: credentials.secret,
    ackEnabled: sink.ackEnabled,
    maxAttempts: sink.maxAttempts,
    tls: credentials.tls,
  };
}
