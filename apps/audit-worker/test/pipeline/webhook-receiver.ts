import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '@gatehouse/audit';

export interface ReceivedBatch {
  readonly status: number;
  /** OCSF metadata.uid of each event: the audit record ids, in the order sent. */
  readonly ids: readonly string[];
  readonly sequences: readonly number[];
}

/**
 * A SIEM webhook endpoint on loopback: verifies the HMAC signature (401 when it does not
 * verify), answers with `status`, and remembers every batch it was sent.
 */
export class WebhookReceiver {
  status = 200;
  readonly batches: ReceivedBatch[] = [];
  badSignatures = 0;
  private server: Server | null = null;

  constructor(private readonly secret: string) {}

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const header = request.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()];
        if (!verifyWebhookSignature(typeof header === 'string' ? header : undefined, body, this.secret)) {
          this.badSignatures += 1;
          response.writeHead(401).end('bad signature');
          return;
        }
        const events = JSON.parse(body) as { metadata: { uid: string; sequence: number } }[];
        this.batches.push({
          status: this.status,
          ids: events.map((event) => event.metadata.uid),
          sequences: events.map((event) => event.metadata.sequence),
        });
        response.writeHead(this.status, { 'content-type': 'text/plain' }).end(this.status < 300 ? 'ok' : 'unavailable');
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/siem`;
  }

  /** Ids the receiver accepted (2xx), in arrival order. */
  delivered(): string[] {
    return this.batches.filter((batch) => batch.status < 300).flatMap((batch) => batch.ids);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
