import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderLogoutConfirmPage, type LogoutConfirmPageInput } from './logout-confirm-page.view.js';
import { TEST_NONCE, testChrome } from './page-chrome.fixture.js';
import { renderSignedOutPage } from './signed-out-page.view.js';

const base: LogoutConfirmPageInput = {
  chrome: testChrome(),
  formAction: '/t/acme/logout/confirm',
  csrfToken: 'csrf-abc',
  hidden: { client_id: 'c-1', post_logout_redirect_uri: 'https://app.test/bye?a=1&b=2', state: 's' },
};

describe('renderLogoutConfirmPage', () => {
  it('asks whether to sign out of the tenant, with one Sign out button', () => {
    const page = renderLogoutConfirmPage(base);
    assert.ok(page.includes('<title>Sign out – Acme</title>'));
    assert.ok(page.includes('<h1>Sign out of Acme?</h1>'));
    assert.equal(page.match(/<button /g)?.length, 1);
    assert.ok(page.includes('<button type="submit">Sign out</button>'));
  });

  it('posts the CSRF token and the validated request in hidden fields, escaped', () => {
    const page = renderLogoutConfirmPage(base);
    assert.ok(page.includes('<form method="post" action="/t/acme/logout/confirm">'));
    assert.ok(page.includes('<input type="hidden" name="csrf" value="csrf-abc">'));
    assert.ok(page.includes('<input type="hidden" name="client_id" value="c-1">'));
    assert.ok(page.includes('<input type="hidden" name="post_logout_redirect_uri" value="https://app.test/bye?a=1&amp;b=2">'));
    assert.ok(page.includes('<input type="hidden" name="state" value="s">'));
  });

  it('names the asking application only when known, and escapes every value', () => {
    assert.ok(!renderLogoutConfirmPage(base).includes('asks you to sign out'));
    const payload = '"><script>alert(1)</script>';
    const page = renderLogoutConfirmPage({
      ...base,
      chrome: testChrome({ brand: { name: payload }, client: { name: payload } }),
      hidden: { state: payload },
      csrfToken: payload,
    });
    assert.ok(!page.includes('<script'));
    assert.ok(page.includes('<p class="lead">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; asks you to sign out.</p>'));
    assert.ok(!/\b(src|href)=/.test(page));
  });
});

describe('renderSignedOutPage', () => {
  it('says the user is signed out of the tenant, links nowhere and carries only the nonced style', () => {
    const page = renderSignedOutPage(testChrome({ brand: { name: 'Acme <Corp>' } }));
    assert.ok(page.includes('<h1>You are signed out</h1>'));
    assert.ok(page.includes('Acme &lt;Corp&gt;'));
    assert.ok(!page.includes('<a ') && !page.includes('<form') && !page.includes('<script'));
    for (const tag of page.match(/<style\b[^>]*>/g) ?? []) assert.equal(tag, `<style nonce="${TEST_NONCE}">`);
  });
});
