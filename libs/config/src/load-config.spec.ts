import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

const KEY = Buffer.alloc(32, 7).toString('base64');

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig({ KEY_ENCRYPTION_KEY: KEY, ...env }, tmpdir());
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ KEY_ENCRYPTION_KEY: KEY }, '/srv/gatehouse');
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.deepEqual(config.ports, { authorization: 3000, admin: 3001, worker: 3002 });
    assert.deepEqual(config.database, { kind: 'embedded', dataDir: '/srv/gatehouse/data' });
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.log.level, 'info');
    assert.deepEqual(config.trustedProxies, []);
    assert.equal(config.keyEncryptionKey.length, 32);
    assert.ok(Object.isFrozen(config));
  });

  it('selects PostgreSQL when DATABASE_URL is set and trims a trailing slash from PUBLIC_URL', () => {
    const config = loadConfig(
      { KEY_ENCRYPTION_KEY: KEY, DATABASE_URL: 'postgres://u@db:5432/gh', DATABASE_POOL_SIZE: '20', PUBLIC_URL: 'https://id.example.com/' },
      tmpdir(),
    );
    assert.deepEqual(config.database, { kind: 'postgres', url: 'postgres://u@db:5432/gh', poolSize: 20 });
    assert.equal(config.publicUrl, 'https://id.example.com');
  });

  it('names every invalid variable, one line each', () => {
    const problems = problemsOf({ PUBLIC_URL: 'not a url', ADMIN_PORT: 'abc', LOG_LEVEL: 'loud', REDIS_URL: 'http://x' });
    assert.equal(problems.length, 4);
    for (const name of ['PUBLIC_URL', 'ADMIN_PORT', 'LOG_LEVEL', 'REDIS_URL']) {
      assert.ok(
        problems.some((p) => p.startsWith(`${name}: `)),
        `${name} missing from ${problems.join(' | ')}`,
      );
    }
    assert.ok(problems.every((p) => !p.includes('\n')));
  });

  it('refuses out-of-range ports, a malformed key and bad proxy ranges', () => {
    assert.match(problemsOf({ AUTHORIZATION_PORT: '70000' })[0] ?? '', /^AUTHORIZATION_PORT: /);
    // Empty is not "any port": z.coerce would have read it as 0.
    assert.match(problemsOf({ AUTHORIZATION_PORT: '' })[0] ?? '', /^AUTHORIZATION_PORT: must be a port number .*leave it unset/);
    assert.match(problemsOf({ WORKER_PORT: '  ' })[0] ?? '', /^WORKER_PORT: /);
    assert.match(problemsOf({ KEY_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })[0] ?? '', /^KEY_ENCRYPTION_KEY: must be 32 bytes/);
    assert.match(problemsOf({ TRUSTED_PROXIES: '10.0.0.0/8, 300.1.1.1' })[0] ?? '', /^TRUSTED_PROXIES: /);
    assert.match(problemsOf({ DATABASE_URL: 'mysql://x/y' })[0] ?? '', /^DATABASE_URL: /);
  });

  it('SIGNING_KEY_POOL_SIZE: 64 by default, 0 under NODE_ENV=test, set within 0-1000, refused outside', () => {
    assert.equal(loadConfig({ KEY_ENCRYPTION_KEY: KEY }, tmpdir()).signingKeyPoolSize, 64);
    assert.equal(loadConfig({ KEY_ENCRYPTION_KEY: KEY, NODE_ENV: 'test' }, tmpdir()).signingKeyPoolSize, 0);
    assert.equal(loadConfig({ KEY_ENCRYPTION_KEY: KEY, NODE_ENV: 'test', SIGNING_KEY_POOL_SIZE: '8' }, tmpdir()).signingKeyPoolSize, 8);
    for (const value of ['-1', '1001', '2.5', 'many']) {
      assert.match(problemsOf({ SIGNING_KEY_POOL_SIZE: value })[0] ?? '', /^SIGNING_KEY_POOL_SIZE: /, value);
    }
  });

  it('HEALTH_KEY_EXPIRY_WARN_DAYS: 14 by default, set within 0-365, refused outside', () => {
    assert.deepEqual(loadConfig({ KEY_ENCRYPTION_KEY: KEY }, tmpdir()).health, { keyExpiryWarnDays: 14 });
    assert.equal(loadConfig({ KEY_ENCRYPTION_KEY: KEY, HEALTH_KEY_EXPIRY_WARN_DAYS: '30' }, tmpdir()).health.keyExpiryWarnDays, 30);
    for (const value of ['-1', '366', '1.5', 'soon']) {
      assert.match(problemsOf({ HEALTH_KEY_EXPIRY_WARN_DAYS: value })[0] ?? '', /^HEALTH_KEY_EXPIRY_WARN_DAYS: /, value);
    }
  });

  it('RATE_LIMIT_FAIL_CLOSED and RATE_LIMITS_ENABLED: limits on and failing open by default, true/false only', () => {
    assert.deepEqual(loadConfig({ KEY_ENCRYPTION_KEY: KEY }, tmpdir()).rateLimits, { enabled: true, failClosed: false });
    const set = loadConfig({ KEY_ENCRYPTION_KEY: KEY, RATE_LIMIT_FAIL_CLOSED: 'true', RATE_LIMITS_ENABLED: 'false' }, tmpdir());
    assert.deepEqual(set.rateLimits, { enabled: false, failClosed: true });
    assert.match(problemsOf({ RATE_LIMIT_FAIL_CLOSED: 'yes' })[0] ?? '', /^RATE_LIMIT_FAIL_CLOSED: must be true or false/);
    assert.match(problemsOf({ RATE_LIMITS_ENABLED: '1' })[0] ?? '', /^RATE_LIMITS_ENABLED: must be true or false/);
  });

  it('accepts a CIDR list for TRUSTED_PROXIES', () => {
    const config = loadConfig({ KEY_ENCRYPTION_KEY: KEY, TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.1,::1/128' }, tmpdir());
    assert.deepEqual(config.trustedProxies, ['10.0.0.0/8', '192.168.1.1', '::1/128']);
  });

  it('requires KEY_ENCRYPTION_KEY in production', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production' }, tmpdir()),
      (error: unknown) => error instanceof ConfigError && error.problems[0]?.startsWith('KEY_ENCRYPTION_KEY: is required') === true,
    );
  });

  it('metrics: open on the app ports by default, METRICS_TOKEN / METRICS_PORT / METRICS_TENANT_LABEL_CAP when set', () => {
    assert.deepEqual(loadConfig({ KEY_ENCRYPTION_KEY: KEY }, tmpdir()).metrics, { token: undefined, port: undefined, tenantLabelCap: 100 });
    const set = loadConfig(
      { KEY_ENCRYPTION_KEY: KEY, METRICS_TOKEN: 'scrape-token-0123456789', METRICS_PORT: '9464', METRICS_TENANT_LABEL_CAP: '5' },
      tmpdir(),
    );
    assert.deepEqual(set.metrics, { token: 'scrape-token-0123456789', port: 9464, tenantLabelCap: 5 });
    assert.match(problemsOf({ METRICS_TOKEN: 'short' })[0] ?? '', /^METRICS_TOKEN: /);
    assert.match(problemsOf({ METRICS_PORT: '70000' })[0] ?? '', /^METRICS_PORT: /);
    assert.match(problemsOf({ METRICS_TENANT_LABEL_CAP: '-1' })[0] ?? '', /^METRICS_TENANT_LABEL_CAP: /);
  });

  it('OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: http(s) URLs, anything else named and refused', () => {
    loadConfig({ KEY_ENCRYPTION_KEY: KEY, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example.test/v1/traces' }, tmpdir());
    assert.deepEqual(problemsOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318' }), [
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an absolute http or https URL',
    ]);
    assert.deepEqual(problemsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector.example.test' }), [
      'OTEL_EXPORTER_OTLP_ENDPOINT: must be an absolute http or https URL',
    ]);
  });

  it('MTLS_PORT needs the listener certificate and key files, naming both; with them the listener is configured', () => {
    assert.match(problemsOf({ MTLS_PORT: '8443' })[0] ?? '', /^MTLS_TLS_CERT_FILE, MTLS_TLS_KEY_FILE: both are required with MTLS_PORT/);
    assert.match(problemsOf({ MTLS_PORT: '8443', MTLS_TLS_CERT_FILE: 'server.pem' })[0] ?? '', /^MTLS_TLS_CERT_FILE, MTLS_TLS_KEY_FILE/);
    assert.match(problemsOf({ MTLS_PORT: 'https' })[0] ?? '', /^MTLS_PORT: /);
    const config = loadConfig(
      { KEY_ENCRYPTION_KEY: KEY, MTLS_PORT: '8443', MTLS_TLS_CERT_FILE: 'server.pem', MTLS_TLS_KEY_FILE: '/keys/server.key' },
      '/srv',
    );
    assert.deepEqual(config.mtls.listener, { port: 8443, certFile: '/srv/server.pem', keyFile: '/keys/server.key' });
    assert.equal(loadConfig({ KEY_ENCRYPTION_KEY: KEY }, tmpdir()).mtls.listener, undefined);
  });

  it('refuses production without METRICS_TOKEN or METRICS_PORT, naming both', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    assert.match(problems[0] ?? '', /^METRICS_TOKEN, METRICS_PORT: one is required when NODE_ENV=production/);
    assert.equal(loadConfig({ KEY_ENCRYPTION_KEY: KEY, NODE_ENV: 'production', METRICS_PORT: '9464' }, tmpdir()).metrics.port, 9464);
    assert.ok(loadConfig({ KEY_ENCRYPTION_KEY: KEY, NODE_ENV: 'production', METRICS_TOKEN: 'x'.repeat(32) }, tmpdir()).metrics.token);
  });

  it('outside production generates the key once into DATA_DIR with mode 0600, and reuses it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gh-config-'));
    const first = loadConfig({ DATA_DIR: dataDir }, tmpdir());
    const keyFile = join(dataDir, 'key-encryption-key');
    assert.ok(existsSync(keyFile));
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(first.keyEncryptionKeySource, 'created-in-data-dir');
    assert.equal(first.warnings.length, 1);
    const second = loadConfig({ DATA_DIR: dataDir }, tmpdir());
    assert.equal(second.keyEncryptionKeySource, 'data-dir');
    assert.ok(second.keyEncryptionKey.equals(first.keyEncryptionKey));
    assert.equal(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64').length, 32);
  });

  it('tightens a DATA_DIR that already existed 0755, and a key file left 0644 (issue 10 item 12)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gh-config-'));
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'key-encryption-key'), `${KEY}\n`, { mode: 0o644 });
    chmodSync(join(dataDir, 'key-encryption-key'), 0o644);
    const config = loadConfig({ DATA_DIR: dataDir }, tmpdir());
    assert.equal(config.keyEncryptionKeySource, 'data-dir');
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dataDir, 'key-encryption-key')).mode & 0o777, 0o600);
  });

  it('ADMIN_PASSWORD_FILE supplies the bootstrap password; with ADMIN_PASSWORD too it is an error naming both (issue 10 item 13)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-secret-'));
    const file = join(dir, 'admin_password');
    writeFileSync(file, 'a mounted secret passphrase\n');
    const config = loadConfig({ KEY_ENCRYPTION_KEY: KEY, ADMIN_PASSWORD_FILE: file }, tmpdir());
    assert.deepEqual(config.bootstrapAdmin, { username: 'admin', password: 'a mounted secret passphrase', passwordFromFile: true });
    assert.deepEqual(problemsOf({ ADMIN_PASSWORD: 'another long passphrase', ADMIN_PASSWORD_FILE: file }), [
      'ADMIN_PASSWORD, ADMIN_PASSWORD_FILE: set one or the other, not both',
    ]);
    assert.match(problemsOf({ ADMIN_PASSWORD_FILE: join(dir, 'missing') })[0] ?? '', /^ADMIN_PASSWORD_FILE: cannot be read/);
  });

  it('OUTBOUND_ALLOW_PRIVATE_TARGETS opens every outbound call, SIEM sinks included; SIEM_ALLOW_PRIVATE_TARGETS only SIEM sinks', () => {
    const none = loadConfig({ KEY_ENCRYPTION_KEY: KEY }, tmpdir());
    assert.deepEqual([none.outboundAllowPrivateTargets, none.siemAllowPrivateTargets], [false, false]);
    const siem = loadConfig({ KEY_ENCRYPTION_KEY: KEY, SIEM_ALLOW_PRIVATE_TARGETS: 'true' }, tmpdir());
    assert.deepEqual([siem.outboundAllowPrivateTargets, siem.siemAllowPrivateTargets], [false, true]);
    const all = loadConfig({ KEY_ENCRYPTION_KEY: KEY, OUTBOUND_ALLOW_PRIVATE_TARGETS: 'true' }, tmpdir());
    assert.deepEqual([all.outboundAllowPrivateTargets, all.siemAllowPrivateTargets], [true, true]);
    assert.deepEqual(problemsOf({ OUTBOUND_ALLOW_PRIVATE_TARGETS: 'yes' }), ['OUTBOUND_ALLOW_PRIVATE_TARGETS: must be true or false']);
  });
});
