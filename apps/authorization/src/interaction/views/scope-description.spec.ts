import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translatorFor } from '../i18n/index.js';
import { describeScope } from './scope-description.js';

const en = translatorFor('en');
const describe_ = (scope: string) => describeScope(scope, en, 'Acme');

describe('describeScope', () => {
  it('describes the standard OpenID Connect scopes in words', () => {
    assert.equal(describe_('openid'), 'Sign you in with your Acme account');
    assert.equal(describe_('profile'), 'See your name and profile picture');
    assert.equal(describe_('email'), 'See your email address');
    assert.equal(describe_('offline_access'), 'Keep access while you are away');
  });

  it('reads an API scope made of a verb and a thing, in either order', () => {
    assert.equal(describe_('orders:read'), 'Read orders');
    assert.equal(describe_('write:invoice_lines'), 'Change invoice lines');
    assert.equal(describe_('payments.manage'), 'Manage payments');
    assert.equal(describeScope('orders:delete', translatorFor('de'), 'Acme'), 'orders löschen');
  });

  it('names any other scope, including names that exist on Object.prototype', () => {
    assert.equal(describe_('read'), 'Use read');
    assert.equal(describe_('read:write'), 'Use read:write');
    assert.equal(describe_('constructor'), 'Use constructor');
    assert.equal(describe_('__proto__'), 'Use __proto__');
    assert.equal(describe_('toString:read'), 'Read toString');
  });
});
