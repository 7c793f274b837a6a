import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderErrorPage } from './error-page.view.js';
import { testChrome } from './page-chrome.fixture.js';

describe('renderErrorPage', () => {
  it('shows the kind of error in the page language, with the tenant in the title', () => {
    const page = renderErrorPage({ chrome: testChrome(), kind: 'signInExpired' });
    assert.ok(page.includes('<title>Sign-in expired – Acme</title>'));
    assert.ok(page.includes('<h1>Sign-in expired</h1>'));
    assert.ok(page.includes('Start again from the application.</p>'));
    const german = renderErrorPage({ chrome: testChrome({ locale: 'de' }), kind: 'notFound' });
    assert.ok(german.includes('<h1>Seite nicht gefunden</h1>') && german.includes('<html lang="de">'));
  });

  it('links nowhere and redirects nowhere unless given where to return', () => {
    const page = renderErrorPage({ chrome: testChrome(), kind: 'invalidRequest', detail: 'redirect_uri is not registered' });
    assert.ok(!page.includes('<a '));
    assert.ok(!page.includes('href'));
    assert.ok(!page.includes('http'), 'no URL and no <meta http-equiv="refresh">');
    assert.ok(!page.includes('<script'));
    assert.ok(page.includes('<p class="detail">Details: redirect_uri is not registered</p>'));
  });

  it('shows a URL from the detail as text, never as a link', () => {
    const page = renderErrorPage({ chrome: testChrome(), kind: 'invalidRequest', detail: 'https://evil.test/cb is not registered.' });
    assert.ok(page.includes('Details: https://evil.test/cb is not registered.</p>'));
    assert.ok(!page.includes('<a ') && !page.includes('href') && !page.includes('http-equiv'));
  });

  it('offers to start again at the client when told where', () => {
    const page = renderErrorPage({
      chrome: testChrome(),
      kind: 'alreadyCompleted',
      returnTo: { name: 'Acme Portal', href: 'https://portal.acme.test/?a=1&b=2' },
    });
    assert.ok(page.includes('<p><a href="https://portal.acme.test/?a=1&amp;b=2">Return to Acme Portal</a></p>'));
  });
});
