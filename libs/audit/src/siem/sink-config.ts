export const SIEM_SINK_TYPES = ['syslog', 'splunk-hec', 'webhook'] as const;
export type SiemSinkType = (typeof SIEM_SINK_TYPES)[number];
export const SIEM_FORMATS = ['cef', 'json', 'ocsf', 'ecs'] as const;
export type SiemFormat = (typeof SIEM_FORMATS)[number];

/** Which bodies each sink type can carry. */
export const FORMATS_BY_TYPE: Readonly<Record<SiemSinkType, readonly SiemFormat[]>> = {
  syslog: ['cef', 'json'],
  'splunk-hec': ['json'],
  webhook: ['ocsf', 'ecs'],
};

export interface SiemTlsOptions {
  /** PEM CA bundle trusted instead of the system roots. */
  readonly ca?: string | undefined;
  /** Default true. Turning verification off is possible for a lab, never the default. */
  readonly rejectUnauthorized?: boolean | undefined;
  /** PEM client certificate and key, for receivers that require mutual TLS (RFC 5425 §5.3). */
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  /** SNI and certificate name to check, when it differs from the URL's host. */
  readonly servername?: string | undefined;
}

export interface SiemSinkConfig {
  readonly id: string;
  readonly tenantId: string;
  readonly type: SiemSinkType;
  /** syslog: `tcp://host:port` or `tls://host:port`; splunk-hec: the collector base URL; webhook: the endpoint. */
  readonly url: string;
  readonly format: SiemFormat;
  /** Splunk HEC token. */
  readonly token?: string | undefined;
  /** Webhook HMAC secret. */
  readonly secret?: string | undefined;
  /** Splunk HEC indexer acknowledgement. */
  readonly ackEnabled?: boolean | undefined;
  /** Delivery attempts before the batch becomes a dead letter. */
  readonly maxAttempts: number;
  /** syslog over tls:// only. */
  readonly tls?: SiemTlsOptions | undefined;
}

export interface SinkConfigProblem {
  readonly field: string;
  readonly message: string;
}

export const MAX_SINK_ATTEMPTS = 50;
export const MIN_WEBHOOK_SECRET_LENGTH = 16;
