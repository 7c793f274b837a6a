import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { minimalRecord, sampleRecord } from './audit-record.fixture.js';
import { DeliveryError } from './delivery-error.js';
import { toEcsEvent } from './ecs.formatter.js';
import { toOcsfAuthentication } from './ocsf.formatter.js';
import { verifyWebhookSignature } from './webhook-signature.js';
import { WebhookTransport, type WebhookTransportOptions } from './webhook.transport.js';

const SECRET = 'whsec_0123456789abcdef0123';
const context = { productVersion: '1.4.2' };

interface Received {
  readonly signature: string | undefined;
  readonly body: string;
  readonly verified: boolean;
}

describe('webhook transport', () => {
  const received: Received[] = [];
  let status = 204;
  const server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['x-gatehouse-signature'] as string | undefined;
      // The receiver's side, as a tenant would write it: the helper, the shared secret, its own clock.
      const verified = verifyWebhookSignature(signature, body, SECRET);
      received.push({ signature, body, verified });
      res.writeHead(verified ? status : 401).end();
    });
  });
  let url = '';
  const transport = (extra: Partial<WebhookTransportOptions> = {}): WebhookTransport =>
    new WebhookTransport({ url, format: 'ocsf', secret: SECRET, context, timeoutMs: 2000, ...extra });

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/gatehouse`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    received.length = 0;
    status = 204;
  });

  it('posts a signed JSON array of OCSF events that the receiver verifies', async () => {
    await transport().deliver([sampleRecord(), minimalRecord()]);
    assert.equal(received.length, 1);
    const [request] = received;
    assert.equal(request?.verified, true);
    assert.match(request?.signature ?? '', /^t=\d{10},v1=[0-9a-f]{64}$/);
    assert.equal(
      request?.body,
      JSON.stringify([toOcsfAuthentication(sampleRecord(), context), toOcsfAuthentication(minimalRecord(), context)]),
    );
  });

  it('posts ECS when configured, an array even for one event', async () => {
    await transport({ format: 'ecs' }).deliver([sampleRecord()]);
    assert.equal(received[0]?.body, JSON.stringify([toEcsEvent(sampleRecord())]));
    assert.equal(received[0]?.verified, true);
  });

  it('is refused by the receiver when signed with another secret or an old timestamp', async () => {
    await assert.rejects(
      transport({ secret: `${SECRET}-wrong` }).deliver([sampleRecord()]),
      (e: unknown) => e instanceof DeliveryError && e.status === 401 && !e.retryable,
    );
    await assert.rejects(
      transport({ nowSeconds: () => Date.now() / 1000 - 600 }).deliver([sampleRecord()]),
      (e: unknown) => e instanceof DeliveryError && e.status === 401,
    );
    assert.deepEqual(
      received.map((r) => r.verified),
      [false, false],
    );
  });

  it('retries 5xx and 429, not other 4xx', async () => {
    for (const [code, retryable] of [
      [500, true],
      [502, true],
      [429, true],
      [400, false],
      [410, false],
    ] as const) {
      status = code;
      await assert.rejects(
        transport().deliver([sampleRecord()]),
        (e: unknown) => e instanceof DeliveryError && e.status === code && e.retryable === retryable,
      );
    }
  });

  it('does not follow a redirect with the signed batch', async () => {
    status = 302;
    await assert.rejects(
      transport().deliver([sampleRecord()]),
      (e: unknown) => e instanceof DeliveryError && e.status === 302 && !e.retryable,
    );
    assert.equal(received.length, 1);
  });

  it('refuses plain http to anything but loopback', () => {
    assert.throws(() => new WebhookTransport({ url: 'http://hooks.example/x', format: 'ecs', secret: SECRET, context }), /https/);
    assert.doesNotThrow(() => new WebhookTransport({ url: 'https://hooks.example/x', format: 'ecs', secret: SECRET, context }));
  });
});
