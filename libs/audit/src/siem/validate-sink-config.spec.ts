import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTransport } from './create-transport.js';
import type { SiemSinkConfig } from './sink-config.js';
import { SplunkHecTransport } from './splunk-hec.transport.js';
import { SyslogTransport } from './syslog.transport.js';
import { validateSiemSinkConfig } from './validate-sink-config.js';
import { WebhookTransport } from './webhook.transport.js';

const base = { id: 's-1', tenantId: 't-1', maxAttempts: 5 };
const syslog = { ...base, type: 'syslog', url: 'tls://siem.example:6514', format: 'cef' };
const hec = { ...base, type: 'splunk-hec', url: 'https://splunk.example:8088', format: 'json', token: 'b0b5c6f8-hec', ackEnabled: true };
const webhook = { ...base, type: 'webhook', url: 'https://hooks.example/gatehouse', format: 'ocsf', secret: 'whsec_0123456789abcdef' };

function problemsOf(input: unknown, allowPrivateTargets = false): Record<string, string> {
  const result = validateSiemSinkConfig(input, { allowPrivateTargets });
  return result.ok ? {} : Object.fromEntries(result.problems.map((p) => [p.field, p.message]));
}

describe('SIEM sink configuration', () => {
  it('accepts a valid sink of each type', () => {
    for (const config of [
      syslog,
      { ...syslog, url: 'tcp://203.0.113.5:514', format: 'json' },
      hec,
      webhook,
      { ...webhook, format: 'ecs' },
    ]) {
      assert.deepEqual(problemsOf(config), {}, JSON.stringify(config));
    }
    assert.deepEqual(problemsOf({ ...syslog, tls: { ca: '-----BEGIN CERTIFICATE-----\n...', rejectUnauthorized: true } }), {});
  });

  it('requires tcp:// or tls://host:port for syslog', () => {
    for (const url of [
      'udp://siem.example:514',
      'tcp://siem.example',
      'https://siem.example:514',
      'tcp://siem.example:514/path',
      'not a url',
    ]) {
      assert.ok(problemsOf({ ...syslog, url })['url'], url);
    }
  });

  it('requires https for HEC and webhooks, http only to loopback', () => {
    assert.match(problemsOf({ ...webhook, url: 'http://hooks.example/x' })['url'] ?? '', /https/);
    assert.match(problemsOf({ ...hec, url: 'http://splunk.example:8088' })['url'] ?? '', /https/);
    assert.ok(problemsOf({ ...webhook, url: 'http://127.0.0.1.evil.example/x' })['url']);
    assert.ok(problemsOf({ ...webhook, url: 'ftp://hooks.example/x' })['url']);
    assert.ok(problemsOf({ ...webhook, url: 'https://user:pw@hooks.example/x' })['url']);
    assert.ok(problemsOf({ ...hec, url: 'https://splunk.example:8088/services/collector/event' })['url']);
    for (const url of ['http://127.0.0.1:8088', 'http://localhost:8088', 'http://[::1]:8088'])
      assert.deepEqual(problemsOf({ ...hec, url }, true), {}, url);
  });

  it('refuses loopback, private, link-local and metadata addresses unless the operator allows them (SSRF)', () => {
    const privateUrls = [
      ['webhook', 'https://127.0.0.1/x'],
      ['webhook', 'https://localhost/x'],
      ['webhook', 'https://169.254.169.254/latest/meta-data'],
      ['webhook', 'https://[::ffff:10.0.0.1]/x'],
      ['webhook', 'https://[fd00::1]/x'],
      ['splunk-hec', 'https://192.168.1.10:8088'],
      ['splunk-hec', 'https://100.64.0.1:8088'],
      ['syslog', 'tcp://10.0.0.5:514'],
      ['syslog', 'tls://172.16.3.4:6514'],
      ['syslog', 'tcp://0.0.0.0:514'],
      // Issue 10 item 14: IPv4-compatible ::a.b.c.d, NAT64, site-local and benchmarking ranges.
      ['webhook', 'https://[::127.0.0.1]/x'],
      ['webhook', 'https://[64:ff9b::a00:1]/x'],
      ['webhook', 'https://[fec0::1]/x'],
      ['syslog', 'tcp://198.18.0.1:514'],
      ['webhook', 'https://metadata.google.internal/x'],
    ] as const;
    const sinks = { webhook, 'splunk-hec': hec, syslog };
    for (const [type, url] of privateUrls) {
      assert.match(problemsOf({ ...sinks[type], url })['url'] ?? '', /public host/, url);
      assert.deepEqual(problemsOf({ ...sinks[type], url }, true), {}, `${url} with SIEM_ALLOW_PRIVATE_TARGETS`);
    }
    assert.deepEqual(problemsOf({ ...webhook, url: 'https://172.32.0.1/x' }), {}, 'just outside 172.16/12 is public');
  });

  it('allows only the formats each type carries', () => {
    assert.ok(problemsOf({ ...syslog, format: 'ocsf' })['format']);
    assert.ok(problemsOf({ ...hec, format: 'cef' })['format']);
    assert.ok(problemsOf({ ...webhook, format: 'json' })['format']);
    assert.ok(problemsOf({ ...webhook, format: 'xml' })['format']);
  });

  it('requires a token for HEC and a secret for webhooks, and refuses them elsewhere', () => {
    assert.ok(problemsOf({ ...hec, token: undefined })['token']);
    assert.ok(problemsOf({ ...hec, token: 'has space' })['token']);
    assert.ok(problemsOf({ ...webhook, secret: undefined })['secret']);
    assert.ok(problemsOf({ ...webhook, secret: 'short' })['secret']);
    assert.ok(problemsOf({ ...syslog, token: 'x' })['token']);
    assert.ok(problemsOf({ ...syslog, ackEnabled: true })['ackEnabled']);
    assert.ok(problemsOf({ ...hec, tls: {} })['tls']);
    assert.ok(problemsOf({ ...syslog, url: 'tcp://siem.example:514', tls: {} })['tls']);
  });

  it('lists every problem at once, by field', () => {
    assert.deepEqual(
      Object.keys(
        problemsOf({ type: 'webhook', format: 'cef', url: 'http://x.example', maxAttempts: 0, tls: { ca: 'x', cert: 1 } }),
      ).sort(),
      ['format', 'id', 'maxAttempts', 'secret', 'tenantId', 'tls', 'url'],
    );
    assert.deepEqual(
      Object.keys(problemsOf({ ...syslog, tls: { ca: 'nope', cert: '-----BEGIN CERTIFICATE-----', rejectUnauthorized: 'no' } })).sort(),
      ['tls.ca', 'tls.key', 'tls.rejectUnauthorized'],
    );
    assert.deepEqual(problemsOf(null), { '': 'must be an object' });
    assert.ok(problemsOf({ ...syslog, maxAttempts: 2.5 })['maxAttempts']);
  });

  it('builds the transport for each type', () => {
    const environment = { context: { productVersion: '1.0.0' }, hostname: 'gh-1' };
    const build = (input: unknown): unknown => {
      const result = validateSiemSinkConfig(input);
      assert.ok(result.ok);
      return createTransport(result.config satisfies SiemSinkConfig, environment);
    };
    assert.ok(build(syslog) instanceof SyslogTransport);
    assert.ok(build(hec) instanceof SplunkHecTransport);
    assert.ok(build(webhook) instanceof WebhookTransport);
  });
});
