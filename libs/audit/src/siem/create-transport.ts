import { type SiemTransport } from './delivery-error.js';
import type { SiemFormatContext } from './siem-format.js';
import type { SiemSinkConfig } from './sink-config.js';
import { SplunkHecTransport } from './splunk-hec.transport.js';
import { SyslogTransport } from './syslog.transport.js';
import { WebhookTransport } from './webhook.transport.js';

export interface TransportEnvironment {
  readonly context: SiemFormatContext;
  /** This machine's name, for the syslog HOSTNAME and the HEC `host`. */
  readonly hostname: string;
  readonly timeoutMs?: number;
}

/** The transport for a validated sink configuration (validateSiemSinkConfig). */
export function createTransport(config: SiemSinkConfig, environment: TransportEnvironment): SiemTransport {
  const { context, hostname, timeoutMs } = environment;
  switch (config.type) {
    case 'syslog':
      if (config.format !== 'cef' && config.format !== 'json') throw new Error(`syslog sink ${config.id}: format ${config.format}`);
      return new SyslogTransport({
        url: config.url,
        format: config.format,
        context,
        hostname,
        procId: String(process.pid),
        tls: config.tls,
        timeoutMs,
      });
    case 'splunk-hec':
      if (!config.token) throw new Error(`splunk-hec sink ${config.id}: no token`);
      return new SplunkHecTransport({ url: config.url, token: config.token, hostname, ackEnabled: config.ackEnabled ?? false, timeoutMs });
    case 'webhook':
      if (!config.secret || (config.format !== 'ocsf' && config.format !== 'ecs'))
        throw new Error(`webhook sink ${config.id}: needs a secret and ocsf or ecs`);
      return new WebhookTransport({ url: config.url, format: config.format, secret: config.secret, context, timeoutMs });
  }
}
