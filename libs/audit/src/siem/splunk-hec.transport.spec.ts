import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { minimalRecord, sampleRecord } from './audit-record.fixture.js';
import { DeliveryError } from './delivery-error.js';
import { toJsonEvent } from './json.formatter.js';
import { SplunkHecTransport, type SplunkHecTransportOptions } from './splunk-hec.transport.js';

const TOKEN = '11111111-2222-3333-4444-555555555555';

interface Recorded {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A stand-in HEC on loopback: records every request; `answer` decides the response. */
class HecReceiver {
  readonly requests: Recorded[] = [];
  answer: (request: Recorded, res: ServerResponse) => void = () => undefined;
  private readonly server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      this.requests.push(recorded);
      this.answer(recorded, res);
    });
  });

  url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  start(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  stop(): void {
    this.server.closeAllConnections();
    this.server.close();
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

describe('Splunk HEC transport', () => {
  const receiver = new HecReceiver();
  const transport = (extra: Partial<SplunkHecTransportOptions> = {}): SplunkHecTransport =>
    new SplunkHecTransport({ url: `${receiver.url()}/`, token: TOKEN, hostname: 'gh-worker-1', timeoutMs: 2000, ...extra });
  before(() => receiver.start());
  after(() => receiver.stop());
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.answer = (_req, res) => json(res, 200, { text: 'Success', code: 0 });
  });

  it('posts a batch as concatenated event objects with the Splunk token', async () => {
    await transport().deliver([sampleRecord(), minimalRecord()]);
    assert.equal(receiver.requests.length, 1);
    const [request] = receiver.requests;
    assert.equal(request?.path, '/services/collector/event');
    assert.equal(request?.headers['authorization'], `Splunk ${TOKEN}`);
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.equal(request?.headers['x-splunk-request-channel'], undefined);
    assert.equal(
      request?.body,
      `{"time":1714566896.789,"host":"gh-worker-1","source":"gatehouse","sourcetype":"gatehouse:audit","event":${JSON.stringify(toJsonEvent(sampleRecord()))}}` +
        `{"time":1704164645.006,"host":"gh-worker-1","source":"gatehouse","sourcetype":"gatehouse:audit","event":${JSON.stringify(toJsonEvent(minimalRecord()))}}`,
    );
  });

  it('with indexer acknowledgement, counts the batch delivered only once the ack turns true', async () => {
    let polls = 0;
    receiver.answer = (req, res) => {
      if (req.path === '/services/collector/event') return json(res, 200, { text: 'Success', code: 0, ackId: 0 });
      polls += 1;
      return json(res, 200, { acks: { '0': polls >= 3 } });
    };
    await transport({ ackEnabled: true, ackPoll: { attempts: 5, initialDelayMs: 5, maxDelayMs: 20 } }).deliver([sampleRecord()]);
    assert.equal(polls, 3);
    const [event, ...acks] = receiver.requests;
    const channel = event?.headers['x-splunk-request-channel'];
    assert.match(String(channel), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (const ack of acks) {
      assert.equal(ack.path, '/services/collector/ack');
      assert.equal(ack.headers['x-splunk-request-channel'], channel);
      assert.equal(ack.headers['authorization'], `Splunk ${TOKEN}`);
      assert.equal(ack.body, '{"acks":[0]}');
    }
  });

  it('gives up, retryably, when the ack never comes', async () => {
    receiver.answer = (req, res) =>
      json(res, 200, req.path.endsWith('/event') ? { text: 'Success', code: 0, ackId: 7 } : { acks: { '7': false } });
    await assert.rejects(
      transport({ ackEnabled: true, ackPoll: { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 } }).deliver([sampleRecord()]),
      (error: unknown) => error instanceof DeliveryError && error.retryable && /ackId 7 not acknowledged after 3 polls/.test(error.message),
    );
    assert.equal(receiver.requests.length, 4);
  });

  it('refuses, finally, a response without an ackId when acknowledgement is on', async () => {
    await assert.rejects(
      transport({ ackEnabled: true }).deliver([sampleRecord()]),
      (error: unknown) => error instanceof DeliveryError && !error.retryable,
    );
  });

  for (const [status, retryable] of [
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [429, true],
    [500, true],
    [503, true],
  ] as const) {
    it(`treats HTTP ${status} as ${retryable ? 'retryable' : 'final'}, without leaking the token`, async () => {
      receiver.answer = (_req, res) => json(res, status, { text: 'Invalid token', code: 4 });
      await assert.rejects(transport().deliver([sampleRecord()]), (error: unknown) => {
        assert.ok(error instanceof DeliveryError);
        assert.equal(error.status, status);
        assert.equal(error.retryable, retryable);
        assert.ok(!error.message.includes(TOKEN));
        return true;
      });
    });
  }

  it('treats a timeout and a refused connection as retryable', async () => {
    receiver.answer = () => undefined;
    await assert.rejects(
      transport({ timeoutMs: 100 }).deliver([sampleRecord()]),
      (e: unknown) => e instanceof DeliveryError && e.retryable && /timed out/.test(e.message),
    );
    const closed = new SplunkHecTransport({ url: 'http://127.0.0.1:1', token: TOKEN, hostname: 'h' });
    await assert.rejects(closed.deliver([sampleRecord()]), (e: unknown) => e instanceof DeliveryError && e.retryable);
  });

  it('does not follow redirects with the token', async () => {
    receiver.answer = (_req, res) => void res.writeHead(307, { location: `${receiver.url()}/elsewhere` }).end();
    await assert.rejects(
      transport().deliver([sampleRecord()]),
      (e: unknown) => e instanceof DeliveryError && !e.retryable && e.status === 307,
    );
    assert.deepEqual(
      receiver.requests.map((r) => r.path),
      ['/services/collector/event'],
    );
  });

  it('refuses plain http to anything but loopback', () => {
    assert.throws(() => new SplunkHecTransport({ url: 'http://splunk.example:8088', token: TOKEN, hostname: 'h' }), /https/);
  });
});
