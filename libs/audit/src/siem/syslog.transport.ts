import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { AuditRecord } from '../audit-record.js';
import { formatCef } from './cef.formatter.js';
import { DeliveryError, type SiemTransport } from './delivery-error.js';
import { formatJson } from './json.formatter.js';
import type { SiemTlsOptions } from './sink-config.js';
import type { SiemFormatContext } from './siem-format.js';
import { formatSyslog, frameOctetCounting, type SyslogFacility } from './syslog.formatter.js';

export interface SyslogTransportOptions {
  /** `tcp://host:port` (RFC 6587) or `tls://host:port` (RFC 5425). */
  readonly url: string;
  readonly format: 'cef' | 'json';
  readonly context: SiemFormatContext;
  readonly hostname: string;
  readonly procId?: string;
  readonly facility?: SyslogFacility;
  readonly tls?: SiemTlsOptions | undefined;
  readonly timeoutMs?: number;
}

/** Certificate failures are configuration, not weather: retrying cannot fix them. */
const CERTIFICATE_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_/;

/**
 * RFC 5424 messages over TCP, framed by octet counting (RFC 6587 §3.4.1), optionally inside TLS
 * (RFC 5425, which mandates the same framing). One connection per batch: the batch is written
 * and the connection closed cleanly. Syslog has no application acknowledgement, so "delivered"
 * means the receiver's TCP stack took every byte and the connection closed without error.
 */
export class SyslogTransport implements SiemTransport {
  private readonly host: string;
  private readonly port: number;
  private readonly secure: boolean;

  constructor(private readonly options: SyslogTransportOptions) {
    const url = new URL(options.url);
    if ((url.protocol !== 'tcp:' && url.protocol !== 'tls:') || !url.port)
      throw new Error('syslog URL must be tcp://host:port or tls://host:port');
    this.secure = url.protocol === 'tls:';
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = Number(url.port);
  }

  /** The exact bytes one batch puts on the wire. */
  encode(records: readonly AuditRecord[]): Buffer {
    return Buffer.concat(
      records.map((record) => {
        const msg = this.options.format === 'cef' ? formatCef(record, this.options.context) : formatJson(record);
        return frameOctetCounting(
          formatSyslog(record, msg, { hostname: this.options.hostname, procId: this.options.procId, facility: this.options.facility }),
        );
      }),
    );
  }

  async deliver(records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const payload = this.encode(records);
    const socket = this.open();
    await new Promise<void>((resolve, reject) => {
      let written = false;
      const fail = (error: Error & { code?: string }): void => {
        socket.destroy();
        const retryable = !CERTIFICATE_ERRORS.test(error.code ?? '');
        reject(
          new DeliveryError(`syslog ${this.secure ? 'tls' : 'tcp'}://${this.host}:${this.port}: ${error.message}`, retryable, undefined, {
            cause: error,
          }),
        );
      };
      socket.setTimeout(this.options.timeoutMs ?? 10_000, () => {
        // Every byte was handed over and only the peer's close is missing: that is delivered.
        if (written) {
          socket.destroy();
          resolve();
        } else fail(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
      });
      socket.once('error', fail);
      socket.once(this.secure ? 'secureConnect' : 'connect', () => {
        socket.end(payload, () => {
          written = true;
        });
      });
      socket.once('close', (hadError) => {
        if (!hadError && written) resolve();
        else if (!hadError) fail(new Error('connection closed before the batch was written'));
      });
    });
  }

  private open(): Socket {
    if (!this.secure) return netConnect({ host: this.host, port: this.port });
    const tls = this.options.tls ?? {};
    const servername = tls.servername ?? (isIP(this.host) ? undefined : this.host);
    return tlsConnect({
      host: this.host,
      port: this.port,
      servername,
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      rejectUnauthorized: tls.rejectUnauthorized ?? true,
      minVersion: 'TLSv1.2',
    });
  }
}
