import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeScope } from './scope-description.js';

describe('describeScope', () => {
  it('describes the standard OpenID Connect scopes', () => {
    assert.equal(describeScope('openid'), 'Sign you in');
    assert.equal(describeScope('profile'), 'Your name and profile information');
    assert.equal(describeScope('email'), 'Your email address');
    assert.equal(describeScope('offline_access'), 'Stay signed in (access when you are away)');
  });

  it('names any other scope, including names that exist on Object.prototype', () => {
    assert.equal(describeScope('orders:read'), 'Access to orders:read');
    assert.equal(describeScope('constructor'), 'Access to constructor');
    assert.equal(describeScope('__proto__'), 'Access to __proto__');
  });
});
