import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../audit-record.js';
import { DeliveryError, type SiemTransport } from './delivery-error.js';
import { postJson } from './http-delivery.js';
import { toJsonEvent } from './json.formatter.js';
import { isLoopbackHost } from './loopback.js';

export interface SplunkHecTransportOptions {
  /** Collector base URL, e.g. `https://splunk.example:8088`. */
  readonly url: string;
  readonly token: string;
  readonly hostname: string;
  /** Indexer acknowledgement: delivered only once Splunk says the events are indexed. */
  readonly ackEnabled?: boolean;
  readonly timeoutMs?: number;
  /** Polls of `/services/collector/ack` before giving up (retryable); delays double from initialDelayMs up to maxDelayMs. */
  readonly ackPoll?: { readonly attempts: number; readonly initialDelayMs: number; readonly maxDelayMs: number };
  /** The `X-Splunk-Request-Channel`; one per transport by default. */
  readonly channel?: string;
}

const DEFAULT_ACK_POLL = { attempts: 10, initialDelayMs: 500, maxDelayMs: 5_000 };

/**
 * Splunk HTTP Event Collector. One POST per batch to `/services/collector/event` whose body is the
 * events' JSON objects back to back (HEC's batch format). With indexer acknowledgement the POST
 * carries a channel, Splunk answers with an `ackId`, and the batch is delivered once
 * `/services/collector/ack` reports it true; until then the batch may still be lost by Splunk.
 */
export class SplunkHecTransport implements SiemTransport {
  private readonly base: string;
  private readonly channel: string;

  constructor(private readonly options: SplunkHecTransportOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
      throw new Error('Splunk HEC URL must be https:// (http:// only to loopback)');
    }
    this.base = options.url.replace(/\/+$/, '');
    this.channel = options.channel ?? randomUUID();
  }

  /** The request body for a batch. */
  encode(records: readonly AuditRecord[]): string {
    return records
      .map((record) =>
        JSON.stringify({
          time: record.occurredAt.getTime() / 1000,
          host: this.options.hostname,
          source: 'gatehouse',
          sourcetype: 'gatehouse:audit',
          event: toJsonEvent(record),
        }),
      )
      .join('');
  }

  async deliver(records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const headers: Record<string, string> = { authorization: `Splunk ${this.options.token}` };
    if (this.options.ackEnabled) headers['x-splunk-request-channel'] = this.channel;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const response = await postJson('splunk-hec event', `${this.base}/services/collector/event`, headers, this.encode(records), timeoutMs);
    if (!this.options.ackEnabled) {
      await response.body?.cancel();
      return;
    }
    const answer = (await response.json().catch(() => undefined)) as { ackId?: unknown } | undefined;
    if (typeof answer?.ackId !== 'number') {
      throw new DeliveryError(
        'splunk-hec event: no ackId in the response (is indexer acknowledgement enabled on the token?)',
        false,
        response.status,
      );
    }
    await this.awaitAck(answer.ackId, headers, timeoutMs);
  }

  private async awaitAck(ackId: number, headers: Record<string, string>, timeoutMs: number): Promise<void> {
    const poll = this.options.ackPoll ?? DEFAULT_ACK_POLL;
    let delay = poll.initialDelayMs;
    for (let attempt = 1; attempt <= poll.attempts; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, poll.maxDelayMs);
      const response = await postJson(
        'splunk-hec ack',
        `${this.base}/services/collector/ack`,
        headers,
        JSON.stringify({ acks: [ackId] }),
        timeoutMs,
      );
      const body = (await response.json().catch(() => undefined)) as { acks?: Record<string, unknown> } | undefined;
      if (body?.acks?.[String(ackId)] === true) return;
    }
    throw new DeliveryError(`splunk-hec ack: ackId ${ackId} not acknowledged after ${poll.attempts} polls`, true);
  }
}
