import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { createAdminServices } from '../../../admin/src/index.js';
import {
  ENTRY_POINTS,
  freePort,
  processEnv,
  startProcess,
  testConfig,
  uniqueSlug,
  type RunningProcess,
} from '../../../../test/support/index.js';
import { certificateHeader, TestPki } from './certificates.js';

const needs = !process.env['DATABASE_URL'] && 'needs DATABASE_URL';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** RFC 8705 with TLS terminated by Gatehouse itself: MTLS_PORT (issue 15). */
describe('the mutual TLS listener (MTLS_PORT)', { skip: needs }, () => {
  const pki = new TestPki();
  pki.issue('server', { subject: '/CN=localhost', dns: 'localhost' });
  const service = {
    cert: pki.issue('service', { subject: '/O=Acme/CN=service' }),
    key: readFileSync(join(pki.dir, 'service.key'), 'utf8'),
  };
  const intruder = {
    cert: pki.issue('intruder', { subject: '/O=Acme/CN=intruder' }),
    key: readFileSync(join(pki.dir, 'intruder.key'), 'utf8'),
  };
  const selfSigned = pki.selfSigned('self', '/CN=self-signed device');
  const slug = uniqueSlug('mtlsl');
  const ids = { dn: '', self: '' };
  let infrastructure: Infrastructure;
  let app: RunningProcess;
  let tlsPort = 0;
  let appPort = 0;

  before(async () => {
    const port = await freePort();
    appPort = port;
    tlsPort = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const config = testConfig({ PUBLIC_URL: origin });
    infrastructure = await openInfrastructure(config);
    const admin = await createAdminServices(config, infrastructure.persistence, infrastructure.redis);
    await admin.tenants.create(slug);
    await admin.tenants.update(slug, await admin.tenants.get(slug), { mtlsEnabled: true });
    ids.dn = (
      await admin.clients.create({
        tenant: slug,
        name: 'By DN',
        grantTypes: ['client_credentials'],
        authMethod: 'tls_client_auth',
        mutualTls: { tls_client_auth_subject_dn: 'CN=service,O=Acme', tls_client_certificate_bound_access_tokens: true },
      })
    ).client.clientId;
    const selfCert = new X509Certificate(selfSigned.pem);
    ids.self = (
      await admin.clients.create({
        tenant: slug,
        name: 'Self-signed',
        grantTypes: ['client_credentials'],
        authMethod: 'self_signed_tls_client_auth',
        mutualTls: {},
        jwks: { keys: [{ ...selfCert.publicKey.export({ format: 'jwk' }), x5c: [selfCert.raw.toString('base64')] }] },
      })
    ).client.clientId;
    app = startProcess(
      ENTRY_POINTS.authorization,
      processEnv({
        PUBLIC_URL: origin,
        AUTHORIZATION_PORT: String(port),
        MTLS_PORT: String(tlsPort),
        MTLS_TLS_CERT_FILE: join(pki.dir, 'server.pem'),
        MTLS_TLS_KEY_FILE: join(pki.dir, 'server.key'),
        MTLS_CA_FILE: pki.caFile,
        LOG_LEVEL: 'info',
      }),
    );
    await app.waitFor(/Authorization server listening on/);
    assert.match(app.output(), new RegExp(`Mutual TLS listener on https://127\\.0\\.0\\.1:${tlsPort}`));
  });
  after(async () => {
    await app?.stop();
    await infrastructure?.close();
    pki.remove();
  });

  /** POST /token over the TLS listener, with or without a client certificate. */
  function token(clientId: string, client?: { cert: string; key: string }, headers: Record<string, string> = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId }).toString();
      const sent = request(
        {
          host: '127.0.0.1',
          port: tlsPort,
          servername: 'localhost',
          ca: pki.caPem,
          method: 'POST',
          path: `/t/${slug}/token`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          ...(client ? { cert: client.cert, key: client.key } : {}),
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
        },
      );
      sent.on('error', reject);
      sent.end(body);
    });
  }

  it('tls_client_auth over the listener: the certificate from the handshake authenticates and binds the token (cnf x5t#S256)', async () => {
    const answer = await token(ids.dn, service);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const thumbprint = createHash('sha256').update(new X509Certificate(service.cert).raw).digest('base64url');
    assert.deepEqual(decodeJwt(String(answer.body['access_token']))['cnf'], { 'x5t#S256': thumbprint });
  });

  it('self_signed_tls_client_auth works too: a certificate chaining to nothing passes the handshake, the JWKS decides', async () => {
    const answer = await token(ids.self, { cert: selfSigned.pem, key: selfSigned.keyPem });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
  });

  it('no certificate, or another subject, is invalid_client', async () => {
    assert.equal((await token(ids.dn)).body['error'], 'invalid_client');
    assert.equal((await token(ids.dn, intruder)).body['error'], 'invalid_client');
  });

  it('a certificate header sent straight to the TLS listener is ignored: only the handshake counts there', async () => {
    const answer = await token(ids.dn, undefined, { 'x-ssl-client-cert': certificateHeader(service.cert) });
    assert.equal(answer.status, 401);
    assert.equal(answer.body['error'], 'invalid_client');
  });

  it("readiness reports the listener's certificate and when it expires (issue 14)", async () => {
    const health = (await (await fetch(`http://127.0.0.1:${appPort}/health/ready`, { redirect: 'manual' })).json()) as {
      checks: { name: string; status: string; details?: Record<string, unknown> }[];
    };
    const check = health.checks.find((entry) => entry.name === 'mtls-listener-certificate');
    // The test certificate is valid for a day: within HEALTH_KEY_EXPIRY_WARN_DAYS (14), so degraded, still serving.
    assert.equal(check?.status, 'degraded');
    assert.equal(
      check?.details?.['not_after'],
      new Date(new X509Certificate(readFileSync(join(pki.dir, 'server.pem'))).validTo).toISOString(),
    );
  });
});
