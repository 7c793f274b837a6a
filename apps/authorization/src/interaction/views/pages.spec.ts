import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderConsentPage } from './consent-page.view.js';
import { renderErrorPage } from './error-page.view.js';
import { renderLoginPage } from './login-page.view.js';
import { TEST_NONCE as NONCE, testChrome } from './page-chrome.fixture.js';

// Properties every interaction page shares, checked on all three at once.
const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const ALLOWED_TAGS = new Set([
  '!doctype',
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'main',
  'div',
  'header',
  'span',
  'h1',
  'h2',
  'p',
  'strong',
  'form',
  'label',
  'input',
  'button',
  'ul',
  'li',
  'code',
]);

function pages(payload: string): Record<string, string> {
  const client = { name: payload };
  const chrome = testChrome({ brand: { name: payload }, client });
  return {
    login: renderLoginPage({ chrome, formAction: payload, csrfToken: payload, username: payload, error: 'failed', loginHint: payload }),
    consent: renderConsentPage({
      chrome: { ...chrome, client },
      scopes: [{ name: payload, description: payload }],
      apis: [{ name: payload, identifier: payload, scopes: [{ name: payload, description: payload }] }],
      formAction: payload,
      csrfToken: payload,
      userName: payload,
    }),
    error: renderErrorPage({ chrome, kind: 'invalidRequest', detail: payload }),
  };
}

describe('interaction pages', () => {
  for (const payload of [SCRIPT, IMG]) {
    for (const [name, page] of Object.entries(pages(payload))) {
      it(`${name} page shows ${payload} only escaped`, () => {
        assert.ok(!page.includes(payload));
        assert.ok(!page.includes('<script'));
        assert.ok(!page.includes('<img'));
        assert.ok(page.includes(payload.replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')));
        const tags = [...page.matchAll(/<\/?([!a-z0-9]+)/gi)].map((match) => match[1]?.toLowerCase() ?? '');
        assert.deepEqual(
          tags.filter((tag) => !ALLOWED_TAGS.has(tag)),
          [],
        );
      });
    }
  }

  for (const [name, page] of Object.entries(pages('Acme'))) {
    it(`${name} page is a mobile-ready English HTML5 page with only nonce'd inline styles`, () => {
      assert.match(page, /^<!doctype html>\n<html lang="en">/);
      assert.ok(page.includes('<meta name="viewport" content="width=device-width, initial-scale=1">'));
      const styles = page.match(/<style\b[^>]*>/g) ?? [];
      assert.ok(styles.length > 0);
      for (const tag of styles) assert.equal(tag, `<style nonce="${NONCE}">`);
      assert.ok(!/<script\b(?![^>]*nonce=)/i.test(page));
      assert.ok(!page.includes('<script'), 'no script at all');
      assert.ok(!/\b(src|href)=/.test(page), 'no external resource');
    });
  }
});
