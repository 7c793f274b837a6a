import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client, Tenant } from '@gatehouse/persistence';
import { InvalidRequest } from '@gatehouse/protocol';
import type { AuthorizeDraft } from '../authorization-request.js';
import { checkRedirectUri } from './check-redirect-uri.js';

function draft(applicationType: 'web' | 'native', registered: string[], requested: string | undefined): AuthorizeDraft {
  const client = { applicationType, redirectUris: registered } as unknown as Client;
  return {
    tenant: {} as Tenant,
    issuer: 'https://id.example.test/t/a',
    params: requested === undefined ? {} : { redirect_uri: requested },
    client,
  };
}

function accepts(applicationType: 'web' | 'native', registered: string[], requested: string | undefined): string | undefined {
  const d = draft(applicationType, registered, requested);
  checkRedirectUri(d);
  return d.redirectUri;
}

describe('checkRedirectUri', () => {
  it('matches a registered URI by exact string comparison', () => {
    assert.equal(accepts('web', ['https://app.example.test/cb'], 'https://app.example.test/cb'), 'https://app.example.test/cb');
    for (const variant of [
      'https://app.example.test/cb/',
      'https://APP.example.test/cb',
      'https://app.example.test/cb?x',
      'https://app.example.test/cb#f',
      'https://app.example.test:443/cb',
    ]) {
      assert.throws(() => accepts('web', ['https://app.example.test/cb'], variant), InvalidRequest, variant);
    }
  });

  it("a web client's loopback URI matches exactly, port included", () => {
    assert.equal(accepts('web', ['http://127.0.0.1:8080/cb'], 'http://127.0.0.1:8080/cb'), 'http://127.0.0.1:8080/cb');
    assert.throws(() => accepts('web', ['http://127.0.0.1:8080/cb'], 'http://127.0.0.1:9999/cb'), InvalidRequest);
  });

  it("a native client's loopback URI may use any port (RFC 8252 §7.3), but not another path or host", () => {
    assert.equal(accepts('native', ['http://127.0.0.1/cb'], 'http://127.0.0.1:51234/cb'), 'http://127.0.0.1:51234/cb');
    assert.equal(accepts('native', ['http://[::1]:8080/cb'], 'http://[::1]:61000/cb'), 'http://[::1]:61000/cb');
    assert.throws(() => accepts('native', ['http://127.0.0.1/cb'], 'http://127.0.0.1:51234/other'), InvalidRequest);
    assert.throws(() => accepts('native', ['http://127.0.0.1/cb'], 'http://localhost:51234/cb'), InvalidRequest);
    assert.throws(() => accepts('native', ['http://127.0.0.1/cb'], 'http://[::1]:51234/cb'), InvalidRequest);
  });

  it('a loopback host must be literal, the path exact and the port at least 1, even when registered so', () => {
    for (const variant of [
      'http://127.1/cb',
      'http://0x7f.0.0.1/cb',
      'http://2130706433/cb',
      'http://[0:0::1]/cb',
      'http://127.0.0.1:0/cb',
    ]) {
      assert.throws(() => accepts('native', [variant], variant), InvalidRequest, variant);
      assert.throws(() => accepts('web', [variant], variant), InvalidRequest, variant);
      assert.throws(() => accepts('native', ['http://127.0.0.1/cb'], variant.replace('/cb', ':5000/cb')), InvalidRequest, variant);
    }
    assert.throws(() => accepts('web', ['http://127.1/cb'], undefined), InvalidRequest);
    assert.throws(() => accepts('native', ['http://127.0.0.1/cb'], 'http://127.0.0.1:5000/x/../cb'), InvalidRequest);
    assert.throws(() => accepts('native', ['http://127.0.0.1/cb'], 'http://127.0.0.1:5000/%63b'), InvalidRequest);
    assert.equal(accepts('native', ['http://127.0.0.1:1/cb?a=1'], 'http://127.0.0.1:65535/cb?a=1'), 'http://127.0.0.1:65535/cb?a=1');
  });

  it('without redirect_uri, uses the only registered URI and refuses when there are several', () => {
    assert.equal(accepts('web', ['https://app.example.test/cb'], undefined), 'https://app.example.test/cb');
    assert.throws(() => accepts('web', ['https://a.example.test/cb', 'https://b.example.test/cb'], undefined), InvalidRequest);
  });
});
