import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translatorFor } from '../i18n/index.js';
import { renderConsentPage, type ConsentPageInput } from './consent-page.view.js';
import { testChrome } from './page-chrome.fixture.js';
import { describeScope } from './scope-description.js';

const words = (names: string[]) => names.map((name) => ({ name, description: describeScope(name, translatorFor('en'), 'Acme') }));
const client = { name: 'Photo Printer' };
const base: ConsentPageInput = {
  chrome: { ...testChrome({ client }), client },
  scopes: words(['openid', 'email', 'orders:read']),
  formAction: '/t/acme/interaction/i-123/consent',
  csrfToken: 'csrf-abc',
};

function form(page: string): string {
  const start = page.indexOf('<form method="post" action="/t/acme/interaction/i-123/consent">');
  assert.ok(start !== -1, 'no form posting to the action');
  return page.slice(start, page.indexOf('</form>', start));
}

describe('renderConsentPage', () => {
  it('says which client wants which tenant account', () => {
    assert.match(renderConsentPage(base), /<h1>Photo Printer wants to access your Acme account<\/h1>/);
    assert.ok(renderConsentPage(base).includes('<p>Photo Printer asks to:</p>'));
  });

  it('lists every scope it is given in words, with its name in code', () => {
    const page = renderConsentPage(base);
    assert.equal(page.match(/<li>/g)?.length, 3);
    assert.ok(page.includes('<li>Sign you in with your Acme account <code>openid</code></li>'));
    assert.ok(page.includes('<li>See your email address <code>email</code></li>'));
    assert.ok(page.includes('<li>Read orders <code>orders:read</code></li>'));
  });

  it('posts the decision with the CSRF token from two submit buttons', () => {
    const body = form(renderConsentPage(base));
    assert.ok(body.includes('<input type="hidden" name="csrf" value="csrf-abc">'));
    assert.ok(body.includes('<button type="submit" name="decision" value="allow">Allow</button>'));
    assert.ok(body.includes('<button type="submit" name="decision" value="deny" class="secondary">Deny</button>'));
    assert.equal(body.match(/<button /g)?.length, 2);
  });

  it('names the signed-in user only when given', () => {
    assert.ok(!renderConsentPage(base).includes('Signed in as'));
    assert.ok(renderConsentPage({ ...base, userName: 'Ann' }).includes('Signed in as Ann'));
  });

  it('still offers both decisions when no scope needs describing', () => {
    const page = renderConsentPage({ ...base, scopes: [] });
    assert.ok(!page.includes('<ul'));
    assert.ok(form(page).includes('value="allow"'));
  });

  it("shows the client's logo and its home, privacy and terms links when registered", () => {
    const registered = {
      name: 'Photo Printer',
      logoUri: 'https://printer.test/logo.png',
      clientUri: 'https://printer.test/',
      policyUri: 'https://printer.test/privacy',
      tosUri: 'https://printer.test/terms',
    };
    const page = renderConsentPage({ ...base, chrome: { ...testChrome({ client: registered }), client: registered } });
    assert.ok(page.includes('<div class="client"><img src="https://printer.test/logo.png" alt=""></div>'));
    assert.ok(page.includes('<a href="https://printer.test/" rel="noopener noreferrer">Photo Printer</a>'));
    assert.ok(page.includes('<a href="https://printer.test/privacy" rel="noopener noreferrer">Privacy policy</a>'));
    assert.ok(page.includes('<a href="https://printer.test/terms" rel="noopener noreferrer">Terms of service</a>'));
    const hostile = { name: 'X', logoUri: 'javascript:alert(1)', policyUri: 'javascript:alert(1)' };
    const refused = renderConsentPage({ ...base, chrome: { ...testChrome({ client: hostile }), client: hostile } });
    assert.ok(!refused.includes('javascript:'), 'only http(s) and data:image URLs are shown');
  });

  describe('with APIs', () => {
    const withApis: ConsentPageInput = {
      ...base,
      scopes: words(['openid', 'email']),
      apis: [
        { name: 'Orders', identifier: 'https://orders.example.test/', scopes: words(['read', 'write']) },
        { name: 'Billing', identifier: 'https://billing.example.test/', scopes: words(['read']) },
      ],
    };

    it('names each API by name and identifier, with its scopes listed under it, after the account scopes', () => {
      const page = renderConsentPage(withApis);
      const lists = [...page.matchAll(/<ul class="scopes">\n([\s\S]*?)<\/ul>/g)].map((match) =>
        [...(match[1] ?? '').matchAll(/<code>([^<]*)<\/code>/g)].map((code) => code[1]),
      );
      assert.deepEqual(lists, [['openid', 'email'], ['read', 'write'], ['read']]);
      const orders = page.indexOf('<h2>At Orders: <code>https://orders.example.test/</code></h2>');
      const billing = page.indexOf('<h2>At Billing: <code>https://billing.example.test/</code></h2>');
      const [account, ordersList, billingList] = [...page.matchAll(/<ul class="scopes">/g)].map((match) => match.index);
      assert.ok(orders !== -1 && billing !== -1, 'both APIs are named');
      assert.ok((account ?? -1) < orders && orders < (ordersList ?? -1) && (ordersList ?? -1) < billing && billing < (billingList ?? -1));
      assert.ok(page.includes('<li>Use read <code>read</code></li>'));
    });

    it('shows an API alone when no account scope is asked for', () => {
      const page = renderConsentPage({ ...withApis, scopes: [], apis: withApis.apis?.slice(0, 1) ?? [] });
      assert.equal(page.match(/<ul class="scopes">/g)?.length, 1);
      assert.equal(page.match(/<h2>/g)?.length, 1);
      assert.ok(!page.includes('asks to:'));
      assert.ok(!page.includes('<code>openid</code>'));
    });

    it('escapes the API name, identifier and scopes', () => {
      const evil = '<img src=x onerror=alert(1)>"';
      const page = renderConsentPage({
        ...base,
        apis: [{ name: evil, identifier: `https://x.test/?q=${evil}`, scopes: [{ name: evil, description: evil }] }],
      });
      assert.ok(!page.includes('<img'));
      assert.ok(
        page.includes(
          '<h2>At &lt;img src=x onerror=alert(1)&gt;&quot;: <code>https://x.test/?q=&lt;img src=x onerror=alert(1)&gt;&quot;</code></h2>',
        ),
      );
      assert.ok(page.includes('<li>&lt;img src=x onerror=alert(1)&gt;&quot; <code>&lt;img src=x onerror=alert(1)&gt;&quot;</code></li>'));
    });
  });
});
