import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer as createTlsServer } from 'node:tls';
import { minimalRecord, SAMPLE_CEF, sampleRecord } from './audit-record.fixture.js';
import { DeliveryError } from './delivery-error.js';
import { SyslogTransport, type SyslogTransportOptions } from './syslog.transport.js';

const context = { productVersion: '1.4.2' };
const BOM = '\uFEFF';
/** The RFC 5424 lines the two fixture records must become, written out by hand. */
const CEF_LINE = `<85>1 2024-05-01T12:34:56.789Z gh-worker-1 gatehouse 4242 login.failed [gatehouse@32473 tenant="acme" record="0190a3c2-7a1e-7cc1-9a4b-2b8f3c9d1e01"] ${BOM}${SAMPLE_CEF}`;
const JSON_LINE =
  `<86>1 2024-01-02T03:04:05.006Z gh-worker-1 gatehouse 4242 session.ended [gatehouse@32473 tenant="beta" record="e-2"] ${BOM}` +
  '{"id":"e-2","tenant":{"id":"t-2","slug":"beta"},"sequence":1,"type":"session.ended","outcome":"success",' +
  '"occurredAt":"2024-01-02T03:04:05.006Z","recordedAt":"2024-01-02T03:04:05.106Z","geo":{"kind":"unknown"},' +
  `"risk":{"score":0,"reasons":[]},"hash":"${'ab'.repeat(32)}","previousHash":"${'00'.repeat(32)}"}`;

function transport(url: string, format: 'cef' | 'json', extra: Partial<SyslogTransportOptions> = {}): SyslogTransport {
  return new SyslogTransport({ url, format, context, hostname: 'gh-worker-1', procId: '4242', timeoutMs: 3000, ...extra });
}

/** RFC 6587 §3.4.1: `MSG-LEN SP SYSLOG-MSG`, repeated. */
function splitFrames(bytes: Buffer): string[] {
  const frames: string[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const space = bytes.indexOf(0x20, offset);
    const length = Number(bytes.subarray(offset, space).toString('ascii'));
    frames.push(bytes.subarray(space + 1, space + 1 + length).toString('utf8'));
    offset = space + 1 + length;
  }
  return frames;
}

/** A TCP (or TLS) receiver that hands over each connection's bytes once the sender closes. */
function collect(server: Server, event: 'connection' | 'secureConnection'): { connections: Buffer[]; next: () => Promise<Buffer> } {
  const connections: Buffer[] = [];
  const waiters: ((b: Buffer) => void)[] = [];
  server.on(event, (socket: Socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('end', () => {
      const bytes = Buffer.concat(chunks);
      connections.push(bytes);
      waiters.shift()?.(bytes);
    });
  });
  return { connections, next: () => new Promise((resolve) => waiters.push(resolve)) };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('syslog transport over TCP', () => {
  const server = createServer();
  const received = collect(server, 'connection');
  let port = 0;
  before(async () => {
    port = await listen(server);
  });
  after(() => server.close());

  it('writes a batch as octet-counted RFC 5424 messages on one connection', async () => {
    const arriving = received.next();
    await transport(`tcp://127.0.0.1:${port}`, 'cef').deliver([sampleRecord(), sampleRecord({ id: 'second', sequence: 43 })]);
    const bytes = await arriving;
    const first = Buffer.from(CEF_LINE, 'utf8');
    assert.deepEqual(
      bytes.subarray(0, first.length + String(first.length).length + 1),
      Buffer.concat([Buffer.from(`${first.length} `), first]),
    );
    const frames = splitFrames(bytes);
    assert.equal(frames.length, 2);
    assert.equal(frames[0], CEF_LINE);
    assert.ok(frames[1]?.includes('record="second"] ') && frames[1].includes(' externalId=second '));
  });

  it('writes JSON bodies', async () => {
    const arriving = received.next();
    await transport(`tcp://127.0.0.1:${port}`, 'json').deliver([minimalRecord()]);
    assert.deepEqual(splitFrames(await arriving), [JSON_LINE]);
  });

  it('opens no connection for an empty batch', async () => {
    const before = received.connections.length;
    await transport(`tcp://127.0.0.1:${port}`, 'json').deliver([]);
    // A real delivery after it is the barrier: connections are taken in order, so one more is all there is.
    const arriving = received.next();
    await transport(`tcp://127.0.0.1:${port}`, 'json').deliver([minimalRecord()]);
    assert.deepEqual(splitFrames(await arriving), [JSON_LINE]);
    assert.equal(received.connections.length, before + 1);
  });

  it('reports a refused connection as a retryable DeliveryError', async () => {
    const closed = await unusedPort();
    await assert.rejects(transport(`tcp://127.0.0.1:${closed}`, 'cef').deliver([sampleRecord()]), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.retryable, true);
      return true;
    });
  });
});

describe('syslog transport over TLS (RFC 5425)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-siem-tls-'));
  let cert = '';
  let key = '';
  let server: Server;
  let received: ReturnType<typeof collect>;
  let port = 0;
  before(async () => {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=localhost'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
    server = createTlsServer({ key, cert });
    received = collect(server, 'secureConnection');
    port = await listen(server);
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the framed bytes to a receiver whose certificate the configured CA vouches for', async () => {
    const arriving = received.next();
    await transport(`tls://127.0.0.1:${port}`, 'cef', { tls: { ca: cert } }).deliver([sampleRecord()]);
    assert.deepEqual(await arriving, Buffer.concat([Buffer.from(`${Buffer.byteLength(CEF_LINE)} `), Buffer.from(CEF_LINE)]));
  });

  it('verifies the certificate by default: an untrusted receiver gets nothing, and the error is final', async () => {
    const before = received.connections.length;
    await assert.rejects(transport(`tls://127.0.0.1:${port}`, 'cef').deliver([sampleRecord()]), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /self[- ]signed/i);
      return true;
    });
    // A trusted delivery after it is the barrier: the refused one never completed a handshake to count.
    const arriving = received.next();
    await transport(`tls://127.0.0.1:${port}`, 'cef', { tls: { ca: cert } }).deliver([sampleRecord()]);
    await arriving;
    assert.equal(received.connections.length, before + 1);
  });

  it('checks the name: a trusted certificate for another host is refused', async () => {
    await assert.rejects(
      transport(`tls://127.0.0.1:${port}`, 'cef', { tls: { ca: cert, servername: 'siem.other.example' } }).deliver([sampleRecord()]),
      (error: unknown) => error instanceof DeliveryError && !error.retryable && /altname|does not match/i.test(error.message),
    );
  });

  it('turns verification off only when told to', async () => {
    const arriving = received.next();
    await transport(`tls://localhost:${port}`, 'json', { tls: { rejectUnauthorized: false } }).deliver([minimalRecord()]);
    assert.deepEqual(splitFrames(await arriving), [JSON_LINE]);
  });
});

const RSYSLOGD = '/usr/sbin/rsyslogd';

describe('syslog transport to a real rsyslog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-rsyslog-'));
  const output = join(dir, 'received.log');
  let rsyslog: ChildProcess | undefined;
  let stderr = '';
  let port = 0;
  let unavailable: string | undefined;

  before(async () => {
    if (!existsSync(RSYSLOGD)) {
      unavailable = `${RSYSLOGD} is not installed (Debian package rsyslog)`;
      return;
    }
    // Everything in the temp dir: no root-owned paths, no /dev/log, a port the kernel picks.
    writeFileSync(
      join(dir, 'rsyslog.conf'),
      [
        `global(workDirectory="${dir}")`,
        'module(load="imtcp")',
        'template(name="raw" type="string" string="%rawmsg%\\n")',
        `input(type="imtcp" port="0" listenPortFileName="${join(dir, 'port')}" supportOctetCountedFraming="on")`,
        `if $inputname == "imtcp" then { action(type="omfile" file="${output}" template="raw") }`,
        '',
      ].join('\n'),
    );
    rsyslog = spawn(RSYSLOGD, ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    rsyslog.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && rsyslog.exitCode === null) {
      const text = existsSync(join(dir, 'port')) ? readFileSync(join(dir, 'port'), 'utf8').trim() : '';
      if (/^\d+$/.test(text) && Number(text) > 0) {
        port = Number(text);
        return;
      }
      await sleep(50);
    }
    unavailable = `rsyslogd did not start listening: ${stderr.trim() || `exit code ${String(rsyslog.exitCode)}`}`;
  });

  after(async () => {
    if (rsyslog && rsyslog.exitCode === null) {
      const exited = new Promise((resolve) => rsyslog?.once('exit', resolve));
      rsyslog.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function linesReceived(count: number): Promise<string[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const lines = existsSync(output) ? readFileSync(output, 'utf8').split('\n').slice(0, -1) : [];
      if (lines.length >= count || Date.now() > deadline) return lines;
      await sleep(50);
    }
  }

  it('rsyslog receives the exact CEF message and the exact RFC 5424 JSON line', async (t) => {
    if (unavailable) return t.skip(unavailable);
    await transport(`tcp://127.0.0.1:${port}`, 'cef').deliver([sampleRecord()]);
    assert.deepEqual(await linesReceived(1), [CEF_LINE]);
    await transport(`tcp://127.0.0.1:${port}`, 'json').deliver([minimalRecord()]);
    assert.deepEqual(await linesReceived(2), [CEF_LINE, JSON_LINE]);
    // Byte for byte, BOM included: rsyslog kept the raw message exactly as framed.
    assert.deepEqual(readFileSync(output), Buffer.from(`${CEF_LINE}\n${JSON_LINE}\n`, 'utf8'));
  });
});
