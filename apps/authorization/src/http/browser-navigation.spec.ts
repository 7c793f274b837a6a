import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { isBrowserNavigation } from './browser-navigation.js';

function request(method: string, url: string, headers: Record<string, string>): FastifyRequest {
  return { method, url, headers } as unknown as FastifyRequest;
}

const CHROME = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const JAVA = 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2';

describe('isBrowserNavigation', () => {
  it('trusts Fetch Metadata when the browser sends it', () => {
    assert.equal(isBrowserNavigation(request('GET', '/t/acme/token', { 'sec-fetch-mode': 'navigate', accept: CHROME })), true);
    assert.equal(isBrowserNavigation(request('GET', '/t/acme/x', { 'sec-fetch-mode': 'cors', accept: CHROME })), false);
  });

  it('without Fetch Metadata, counts a GET whose Accept ranks HTML above JSON, away from the APIs', () => {
    assert.equal(isBrowserNavigation(request('GET', '/t/acme/nothing', { accept: CHROME })), true);
    assert.equal(isBrowserNavigation(request('GET', '/t/acme/nothing', { accept: 'application/json, text/html;q=0.5' })), false);
    assert.equal(isBrowserNavigation(request('GET', '/t/acme/nothing', { accept: 'application/json, text/html;q=0' })), false);
    assert.equal(isBrowserNavigation(request('GET', '/t/acme/nothing', { accept: 'text/html;q=0' })), false);
    assert.equal(isBrowserNavigation(request('GET', '/t/acme/nothing', { accept: '*/*' })), false);
    assert.equal(isBrowserNavigation(request('GET', '/t/acme/nothing', {})), false);
  });

  it("never answers an API call with HTML because of an HTTP library's default Accept", () => {
    for (const path of ['token', 'introspect', 'revoke', 'register', 'userinfo', 'jwks', '.well-known/openid-configuration']) {
      assert.equal(isBrowserNavigation(request('GET', `/t/acme/${path}`, { accept: JAVA })), false, path);
    }
    assert.equal(isBrowserNavigation(request('POST', '/t/acme/token', { accept: JAVA })), false);
    assert.equal(isBrowserNavigation(request('POST', '/t/acme/token', { 'sec-fetch-mode': 'navigate', accept: CHROME })), false);
    assert.equal(isBrowserNavigation(request('POST', '/t/acme/authorize', { 'sec-fetch-mode': 'navigate', accept: CHROME })), true);
  });
});
