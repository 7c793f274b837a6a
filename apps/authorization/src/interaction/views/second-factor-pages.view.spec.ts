import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderEnrolPage } from './enrol-page.view.js';
import { testChrome } from './page-chrome.fixture.js';
import { renderRecoveryCodesPage } from './recovery-codes-page.view.js';
import { renderSecondFactorPage } from './second-factor-page.view.js';

const chrome = testChrome({ client: { name: 'Acme Portal' } });
const QR = 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=';

describe('second-factor pages', () => {
  it('the code page posts to its absolute action, labels its field and describes it by the hint', () => {
    const page = renderSecondFactorPage({ chrome, formAction: '/t/acme/interaction/h/second-factor', csrfToken: 'c' });
    assert.ok(page.includes('<form method="post" action="/t/acme/interaction/h/second-factor" novalidate>'));
    assert.ok(page.includes('<label for="code">Verification code or recovery code</label>'));
    assert.match(page, /<input [^>]*id="code"[^>]*autocomplete="one-time-code"[^>]*aria-describedby="code-hint"/);
    assert.ok(!page.includes('role="alert"'));
  });

  it('a refused code is announced and tied to the field', () => {
    const page = renderSecondFactorPage({ chrome, formAction: '/x', csrfToken: 'c', error: 'failed' });
    assert.ok(page.includes('<p class="error" id="code-error" role="alert">That code is not valid.'));
    assert.match(page, /aria-invalid="true" aria-describedby="code-hint code-error"/);
    const locked = renderSecondFactorPage({ chrome, formAction: '/x', csrfToken: 'c', error: 'locked' });
    assert.ok(locked.includes('Too many failed sign-in attempts for this account.'));
  });

  it('the enrolment page shows the QR code as a data: image with alt text, the key in groups, and a code field', () => {
    const page = renderEnrolPage({
      chrome,
      formAction: '/t/acme/interaction/h/enrol',
      csrfToken: 'c',
      qrDataUrl: QR,
      secret: 'ABCDEFGHIJKLMNOP',
    });
    assert.ok(page.includes(`<img class="qr" src="${QR}" alt="QR code that adds Acme to an authenticator app"`));
    assert.ok(page.includes('<code id="totp-secret">ABCD EFGH IJKL MNOP</code>'));
    assert.ok(page.includes('<form method="post" action="/t/acme/interaction/h/enrol" novalidate>'));
    assert.ok(page.includes('<label for="code">Code shown in the app</label>'));
  });

  it('the recovery codes are listed once, escaped, with a form that continues', () => {
    const page = renderRecoveryCodesPage({
      chrome,
      formAction: '/t/acme/interaction/h/continue',
      csrfToken: 'c',
      codes: ['AAAAA-BBBBB', '<x>'],
    });
    assert.ok(page.includes('<li><code>AAAAA-BBBBB</code></li>'));
    assert.ok(page.includes('<li><code>&lt;x&gt;</code></li>'));
    assert.ok(page.includes('<form method="post" action="/t/acme/interaction/h/continue">'));
  });

  it('speaks German and French', () => {
    for (const [locale, heading] of [
      ['de', 'Bestätigungscode eingeben'],
      ['fr', 'Saisissez votre code de vérification'],
    ] as const) {
      const page = renderSecondFactorPage({ chrome: testChrome({ locale }), formAction: '/x', csrfToken: 'c' });
      assert.ok(page.includes(`<h1>${heading}</h1>`), locale);
    }
  });
});
