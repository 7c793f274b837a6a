import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseLocale, uiLocalesParam } from './locale.js';

describe('chooseLocale', () => {
  it('takes the first supported ui_locales tag, by its primary language', () => {
    assert.equal(chooseLocale('ja de-CH en', 'fr'), 'de');
    assert.equal(chooseLocale('FR-ca', undefined), 'fr');
  });

  it('falls back to Accept-Language by q-value (RFC 9110 §12.5.4), then English', () => {
    assert.equal(chooseLocale(undefined, 'en;q=0.5, fr-FR, de;q=0.9'), 'fr');
    assert.equal(chooseLocale('ja', 'de;q=0.1, ja'), 'de');
    assert.equal(chooseLocale(undefined, 'EN;Q=0.1, fr'), 'fr', 'the q parameter is case-insensitive');
    assert.equal(chooseLocale(undefined, 'de;q=0, en'), 'en', 'q=0 means not acceptable');
    assert.equal(chooseLocale(undefined, 'de;q=1.5, fr;q=0.5'), 'de', 'an invalid q counts as 1');
    assert.equal(chooseLocale(undefined, '*'), 'en');
    assert.equal(chooseLocale(undefined, undefined), 'en');
  });

  it('reads ui_locales from a raw request only as a string', () => {
    assert.equal(uiLocalesParam({ ui_locales: 'de' }), 'de');
    assert.equal(uiLocalesParam({ ui_locales: ['de', 'fr'] }), undefined);
    assert.equal(uiLocalesParam(null), undefined);
  });
});
