import type { AuditRecord } from '../audit-record.js';
import { type SiemTransport } from './delivery-error.js';
import { toEcsEvent } from './ecs.formatter.js';
import { postJson } from './http-delivery.js';
import { isLoopbackHost } from './loopback.js';
import { toOcsfAuthentication } from './ocsf.formatter.js';
import type { SiemFormatContext } from './siem-format.js';
import { signWebhookPayload, WEBHOOK_SIGNATURE_HEADER } from './webhook-signature.js';

export interface WebhookTransportOptions {
  /** https:// endpoint; http:// is accepted only for loopback (tests, a local forwarder). */
  readonly url: string;
  readonly format: 'ocsf' | 'ecs';
  readonly secret: string;
  readonly context: SiemFormatContext;
  readonly timeoutMs?: number;
  /** Unix seconds for the signature; the clock, injectable. */
  readonly nowSeconds?: () => number;
}

/**
 * POSTs a batch as a JSON array of OCSF or ECS events (an array even for one event), signed with
 * `X-Gatehouse-Signature: t=<unix seconds>,v1=<HMAC-SHA256 hex of "<t>.<body>">`. Any 2xx is delivered.
 */
export class WebhookTransport implements SiemTransport {
  constructor(private readonly options: WebhookTransportOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
      throw new Error('webhook URL must be https:// (http:// only to loopback)');
    }
  }

  encode(records: readonly AuditRecord[]): string {
    const events = records.map((record) =>
      this.options.format === 'ocsf' ? toOcsfAuthentication(record, this.options.context) : toEcsEvent(record),
    );
    return JSON.stringify(events);
  }

  async deliver(records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const body = this.encode(records);
    const now = this.options.nowSeconds?.() ?? Date.now() / 1000;
    const headers = { [WEBHOOK_SIGNATURE_HEADER]: signWebhookPayload(body, this.options.secret, now) };
    const response = await postJson('webhook', this.options.url, headers, body, this.options.timeoutMs ?? 10_000);
    await response.body?.cancel();
  }
}
