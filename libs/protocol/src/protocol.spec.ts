import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redirectUriProblem } from './redirect-uri.js';
import { parseScope } from './scope.js';
import { isValidTenantSlug, issuerFor } from './tenant-slug.js';

describe('tenant slugs', () => {
  it('accept 2-63 lowercase letters, digits and hyphens only', () => {
    for (const slug of ['ab', 'acme', 'acme-eu-1', 'a'.repeat(63), '42']) assert.equal(isValidTenantSlug(slug), true, slug);
    for (const slug of ['a', 'a'.repeat(64), 'Acme', 'acme_eu', 'acme.eu', 'acme/x', '', 'ac me'])
      assert.equal(isValidTenantSlug(slug), false, slug);
  });
  it('name the issuer under /t/', () => {
    assert.equal(issuerFor('https://id.example.com', 'acme'), 'https://id.example.com/t/acme');
  });
});

describe('redirect URI validation', () => {
  it('accepts https, loopback http and (for native apps) private-use schemes', () => {
    assert.equal(redirectUriProblem('https://app.example.com/cb?x=1', 'web'), null);
    assert.equal(redirectUriProblem('http://127.0.0.1:8080/cb', 'web'), null);
    assert.equal(redirectUriProblem('http://[::1]/cb', 'native'), null);
    assert.equal(redirectUriProblem('com.example.app:/oauth2redirect', 'native'), null);
  });
  it('refuses fragments, wildcards, relative URIs, plain http and custom schemes for web apps', () => {
    assert.match(redirectUriProblem('https://app.example.com/cb#frag', 'web') ?? '', /fragment/);
    assert.match(redirectUriProblem('https://*.example.com/cb', 'web') ?? '', /wildcard/);
    assert.match(redirectUriProblem('/cb', 'web') ?? '', /absolute/);
    assert.match(redirectUriProblem('http://app.example.com/cb', 'web') ?? '', /https/);
    assert.match(redirectUriProblem('http://localhost/cb', 'web') ?? '', /https/);
    for (const spelled of ['http://127.1/cb', 'http://0x7f.0.0.1/cb', 'http://2130706433/cb', 'http://127.0.0.2/cb', 'http://[0::1]/cb'])
      assert.notEqual(redirectUriProblem(spelled, 'native'), null, spelled);
    assert.match(redirectUriProblem('http://127.0.0.1:0/cb', 'native') ?? '', /port/);
    assert.equal(redirectUriProblem('http://127.0.0.1:65535/cb', 'native'), null);
    assert.notEqual(redirectUriProblem('com.example.app:/cb', 'web'), null);
    assert.notEqual(redirectUriProblem('myapp:/cb', 'native'), null);
    assert.notEqual(redirectUriProblem('javascript:alert(1)', 'native'), null);
    assert.match(redirectUriProblem('https://user:pw@app.example.com/cb', 'web') ?? '', /user information/);
  });
});

describe('scope parsing (RFC 6749 §3.3)', () => {
  it('splits on spaces and removes duplicates', () => {
    assert.deepEqual(parseScope('openid  profile openid'), ['openid', 'profile']);
  });
  it('refuses characters outside the scope-token grammar', () => {
    assert.equal(parseScope('openid "quoted"'), null);
    assert.equal(parseScope('back\\slash'), null);
    assert.equal(parseScope('tab\there'), null);
  });
});
