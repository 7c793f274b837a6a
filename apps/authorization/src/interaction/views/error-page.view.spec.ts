import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderErrorPage } from './error-page.view.js';

const nonce = 'q0JZyF3m8lM5n2xYp7Vb1A==';

describe('renderErrorPage', () => {
  it('shows the title and message, with the tenant in the title when known', () => {
    const page = renderErrorPage({ tenantName: 'Acme', title: 'Unknown application', message: 'This sign-in link is not valid.', nonce });
    assert.ok(page.includes('<title>Unknown application – Acme</title>'));
    assert.ok(page.includes('<h1>Unknown application</h1>'));
    assert.ok(page.includes('<p>This sign-in link is not valid.</p>'));
    assert.ok(renderErrorPage({ title: 'Unknown application', message: 'x', nonce }).includes('<title>Unknown application</title>'));
  });

  it('links nowhere and redirects nowhere', () => {
    const page = renderErrorPage({ title: 'Invalid redirect_uri', message: 'The redirect URI is not registered.', nonce });
    assert.ok(!page.includes('<a '));
    assert.ok(!page.includes('href'));
    assert.ok(!page.includes('http'), 'no URL and no <meta http-equiv="refresh">');
    assert.ok(!page.includes('<script'));
  });

  it('shows a URL from the message as text, never as a link', () => {
    const page = renderErrorPage({ title: 'Invalid redirect_uri', message: 'https://evil.test/cb is not registered.', nonce });
    assert.ok(page.includes('<p>https://evil.test/cb is not registered.</p>'));
    assert.ok(!page.includes('<a '));
    assert.ok(!page.includes('href'));
    assert.ok(!page.includes('http-equiv'));
  });
});
