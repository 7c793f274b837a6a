import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageOrigins } from './page-chrome.js';
import { testChrome } from './page-chrome.fixture.js';
import { renderPage } from './page-layout.view.js';
import { pageSecurityHeaders } from './page-security-headers.js';
import { markup } from './safe-html.js';

const body = markup`<h1>Hello</h1>`;

describe('renderPage', () => {
  it("shows the tenant's name, or its logo with the name as alt text, and its help link", () => {
    assert.ok(renderPage({ chrome: testChrome(), title: 't', body }).includes('<header class="brand"><span>Acme</span></header>'));
    const branded = renderPage({
      chrome: testChrome({ brand: { logoUri: 'https://cdn.acme.test/l.svg', supportUri: 'https://help.acme.test/' } }),
      title: 't',
      body,
    });
    assert.ok(branded.includes('<img src="https://cdn.acme.test/l.svg" alt="Acme">'));
    assert.ok(branded.includes('<footer><p><a href="https://help.acme.test/" rel="noopener noreferrer">Help</a></p></footer>'));
  });

  it('refuses logos and links that are not http(s), a data:image or mailto:', () => {
    const page = renderPage({
      chrome: testChrome({
        brand: { logoUri: 'javascript:alert(1)', supportUri: 'data:text/html,<script>' },
        client: { name: 'X', logoUri: 'data:text/html;base64,PHNjcmlwdD4=', clientUri: 'vbscript:x' },
      }),
      title: 't',
      body,
      showClient: true,
    });
    assert.ok(!page.includes('javascript:') && !page.includes('data:text') && !page.includes('vbscript'));
    assert.ok(!page.includes('<img') && !page.includes('<footer>'));
  });

  it('lets the CSP load images only from the logos’ origins', () => {
    const chrome = testChrome({
      brand: { logoUri: 'https://cdn.acme.test/a.png' },
      client: { name: 'X', logoUri: 'https://printer.test/b.png?x=1' },
    });
    assert.deepEqual(imageOrigins(chrome), ['https://cdn.acme.test', 'https://printer.test']);
    const csp = pageSecurityHeaders('q0JZyF3m8lM5n2xYp7Vb1A==', imageOrigins(chrome))['content-security-policy'];
    assert.match(csp ?? '', /img-src 'self' data: https:\/\/cdn\.acme\.test https:\/\/printer\.test;/);
    assert.deepEqual(imageOrigins(testChrome({ brand: { logoUri: 'data:image/png;base64,AAAA' } })), []);
    assert.throws(() => pageSecurityHeaders('q0JZyF3m8lM5n2xYp7Vb1A==', ["https://a.test; script-src 'unsafe-inline'"]));
    // A logo stored with a wildcard or a semicolon in its host is neither shown nor allowed: the page still renders.
    const widened = testChrome({ brand: { logoUri: 'https://*/l.png' }, client: { name: 'X', logoUri: 'https://cdn;x/l.png' } });
    assert.deepEqual(imageOrigins(widened), []);
    assert.ok(!renderPage({ chrome: widened, title: 't', body, showClient: true }).includes('<img'));
  });

  it('follows the system light or dark scheme', () => {
    const page = renderPage({ chrome: testChrome(), title: 't', body });
    assert.ok(page.includes('color-scheme: light dark;') && page.includes('@media (prefers-color-scheme: dark)'));
  });
});
