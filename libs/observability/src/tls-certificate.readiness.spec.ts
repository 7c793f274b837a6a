import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tlsCertificateReadiness } from './tls-certificate.readiness.js';

describe('tlsCertificateReadiness', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-tls-health-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const certFile = join(dir, 'server.pem');
  execFileSync(
    '/usr/bin/openssl',
    [
      'req',
      '-x509',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(dir, 'server.key'),
      '-subj',
      '/CN=localhost',
      '-days',
      '30',
      '-out',
      certFile,
    ],
    { stdio: 'pipe' },
  );
  const day = 24 * 3600 * 1000;

  it('healthy well before expiry, degraded within the warning window, unhealthy once expired; the expiry in the details', async () => {
    const at = (days: number) => () => new Date(Date.now() + days * day);
    const healthy = await tlsCertificateReadiness('tls', certFile, { warnDays: 14, now: at(0) }).check();
    assert.equal(healthy?.status, 'healthy');
    assert.match(String(healthy?.details?.['not_after']), /^\d{4}-\d{2}-\d{2}T/);
    assert.equal((await tlsCertificateReadiness('tls', certFile, { warnDays: 14, now: at(20) }).check())?.status, 'degraded');
    const expired = await tlsCertificateReadiness('tls', certFile, { warnDays: 14, now: at(31) }).check();
    assert.equal(expired?.status, 'unhealthy');
    assert.equal(expired?.error, 'the TLS certificate is not valid now');
  });

  it('a file that cannot be read fails the check (unhealthy), without its path or error text in the answer', async () => {
    await assert.rejects(tlsCertificateReadiness('tls', join(dir, 'missing.pem'), { warnDays: 14 }).check());
  });
});
