import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderLoginPage } from './login-page.view.js';
import { TEST_NONCE, testChrome } from './page-chrome.fixture.js';
import type { PasskeyOffer } from './passkey-form.view.js';
import { renderSecondFactorPage } from './second-factor-page.view.js';
import { renderSecurityPage } from './security-page.view.js';

const chrome = testChrome();
const offer: PasskeyOffer = {
  ceremony: 'authenticate',
  formAction: '/t/acme/interaction/h/second-factor/passkey',
  options: JSON.stringify({ challenge: 'abc', rpId: 'login.example', note: '"><script>alert(1)</script>' }),
  scriptSrc: '/t/acme/assets/passkey.js',
};

describe('passkey forms', () => {
  it('the options travel escaped in an attribute; the script is same-origin with the page nonce; the form starts hidden', () => {
    const page = renderSecondFactorPage({ chrome, formAction: '/x', csrfToken: 'c', passkey: offer, totp: false });
    assert.ok(!page.includes('<script>alert(1)'));
    assert.ok(page.includes('data-options="{&quot;challenge&quot;:&quot;abc&quot;'));
    assert.ok(page.includes(`<script src="/t/acme/assets/passkey.js" nonce="${TEST_NONCE}" defer></script>`));
    assert.match(
      page,
      /<form method="post" action="\/t\/acme\/interaction\/h\/second-factor\/passkey" data-passkey="authenticate" [^>]* hidden>/,
    );
    assert.ok(page.includes('<input type="hidden" name="csrf" value="c">'));
  });

  it('a passkey-only user sees no code field; with TOTP too, both', () => {
    const only = renderSecondFactorPage({ chrome, formAction: '/x', csrfToken: 'c', passkey: offer, totp: false });
    assert.ok(only.includes('<h1>Verify it is you</h1>') && !only.includes('name="code"'));
    const both = renderSecondFactorPage({ chrome, formAction: '/x', csrfToken: 'c', passkey: offer, totp: true });
    assert.ok(both.includes('Use your passkey') && both.includes('name="code"'));
    const refused = renderSecondFactorPage({ chrome, formAction: '/x', csrfToken: 'c', passkey: offer, error: 'passkeyFailed' });
    assert.ok(refused.includes('That passkey could not be verified.'));
  });

  it('the login page offers a passkey only when given one', () => {
    assert.ok(!renderLoginPage({ chrome, formAction: '/l', csrfToken: 'c' }).includes('data-passkey'));
    const page = renderLoginPage({ chrome, formAction: '/l', csrfToken: 'c', passkey: offer });
    assert.ok(page.includes('Sign in with a passkey'));
  });

  it('the security page escapes passkey names and gives each remove button an accessible name', () => {
    const page = renderSecurityPage({
      chrome,
      userName: 'alice',
      csrfToken: 'c',
      totp: true,
      basePath: '/t/acme/account/security',
      passkeys: [
        { id: '6f1c1d9e-8a3b-4d6f-9c2e-0a1b2c3d4e5f', name: '<b>Phone</b>', synced: true, createdAt: new Date(0), lastUsedAt: null },
      ],
      add: { ...offer, ceremony: 'register', formAction: '/t/acme/account/security/passkeys' },
    });
    assert.ok(page.includes('&lt;b&gt;Phone&lt;/b&gt;') && !page.includes('<b>Phone</b>'));
    assert.ok(page.includes('action="/t/acme/account/security/passkeys/6f1c1d9e-8a3b-4d6f-9c2e-0a1b2c3d4e5f/remove"'));
    assert.ok(page.includes('aria-label="Remove the passkey &lt;b&gt;Phone&lt;/b&gt;"'));
    assert.ok(page.includes('<p id="totp-status">Set up</p>'));
  });
});
