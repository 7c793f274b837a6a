import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingConsent, requestedConsent } from './requested-consent.js';

const A = 'https://a.example.test/api';
const B = 'https://b.example.test/api';

describe('requestedConsent', () => {
  it('puts the OpenID scopes under no API and the rest under the requested API', () => {
    assert.deepEqual(requestedConsent({ scopes: ['openid', 'read', 'email', 'write'], resource: A }), [
      { resource: null, scopes: ['openid', 'email'] },
      { resource: A, scopes: ['read', 'write'] },
    ]);
  });

  it('has no API entry when only OpenID scopes are asked for, and no account entry when none of them is', () => {
    assert.deepEqual(requestedConsent({ scopes: ['openid', 'profile'] }), [{ resource: null, scopes: ['openid', 'profile'] }]);
    assert.deepEqual(requestedConsent({ scopes: ['read'], resource: A }), [{ resource: A, scopes: ['read'] }]);
    assert.deepEqual(requestedConsent({ scopes: [] }), []);
  });

  it('without an API every scope is under none (and so an API scope there is never covered, below)', () => {
    assert.deepEqual(requestedConsent({ scopes: ['openid', 'read'] }), [{ resource: null, scopes: ['openid', 'read'] }]);
  });
});

describe('missingConsent', () => {
  const grantedAtA = [
    { resource: null, scopes: ['openid'] },
    { resource: A, scopes: ['read'] },
  ];

  it('is empty when every requested pair was granted', () => {
    assert.deepEqual(missingConsent(requestedConsent({ scopes: ['openid', 'read'], resource: A }), grantedAtA), []);
    assert.deepEqual(missingConsent(requestedConsent({ scopes: ['openid'] }), grantedAtA), []);
  });

  it('read at API A does not cover read at API B', () => {
    assert.deepEqual(missingConsent(requestedConsent({ scopes: ['openid', 'read'], resource: B }), grantedAtA), [
      { resource: B, scopes: ['read'] },
    ]);
  });

  it('read at API A does not cover read without an API, nor does read without an API cover it at A', () => {
    assert.deepEqual(missingConsent([{ resource: null, scopes: ['read'] }], grantedAtA), [{ resource: null, scopes: ['read'] }]);
    const legacy = [{ resource: null, scopes: ['openid', 'read'] }];
    assert.deepEqual(missingConsent(requestedConsent({ scopes: ['openid', 'read'], resource: A }), legacy), [
      { resource: A, scopes: ['read'] },
    ]);
  });

  it('an API scope recorded under no API (a consent from before consent was per API) covers nothing', () => {
    assert.deepEqual(missingConsent([{ resource: null, scopes: ['read'] }], [{ resource: null, scopes: ['read'] }]), [
      { resource: null, scopes: ['read'] },
    ]);
  });

  it('lists only what is missing, per resource', () => {
    assert.deepEqual(missingConsent(requestedConsent({ scopes: ['openid', 'email', 'read', 'write'], resource: A }), grantedAtA), [
      { resource: null, scopes: ['email'] },
      { resource: A, scopes: ['write'] },
    ]);
  });
});
