import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderConsentPage, type ConsentPageInput } from './consent-page.view.js';
import { describeScope } from './scope-description.js';

const base: ConsentPageInput = {
  tenantName: 'Acme',
  clientName: 'Photo Printer',
  scopes: ['openid', 'email', 'orders:read'].map((name) => ({ name, description: describeScope(name) })),
  formAction: '/t/acme/interaction/i-123/consent',
  csrfToken: 'csrf-abc',
  nonce: 'q0JZyF3m8lM5n2xYp7Vb1A==',
};

function form(page: string): string {
  const start = page.indexOf('<form method="post" action="/t/acme/interaction/i-123/consent">');
  assert.ok(start !== -1, 'no form posting to the action');
  return page.slice(start, page.indexOf('</form>', start));
}

describe('renderConsentPage', () => {
  it('says which client wants which tenant account', () => {
    assert.match(renderConsentPage(base), /<h1>Photo Printer wants to access your Acme account<\/h1>/);
  });

  it('lists every scope with its description and its name in code', () => {
    const page = renderConsentPage(base);
    assert.equal(page.match(/<li>/g)?.length, 3);
    assert.ok(page.includes('<li>Sign you in <code>openid</code></li>'));
    assert.ok(page.includes('<li>Your email address <code>email</code></li>'));
    assert.ok(page.includes('<li>Access to orders:read <code>orders:read</code></li>'));
  });

  it('posts the decision with the CSRF token from two submit buttons', () => {
    const body = form(renderConsentPage(base));
    assert.ok(body.includes('<input type="hidden" name="csrf" value="csrf-abc">'));
    assert.ok(body.includes('<button type="submit" name="decision" value="allow">Allow</button>'));
    assert.ok(body.includes('<button type="submit" name="decision" value="deny">Deny</button>'));
    assert.equal(body.match(/<button /g)?.length, 2);
  });

  it('names the signed-in user only when given', () => {
    assert.ok(!renderConsentPage(base).includes('Signed in as'));
    assert.ok(renderConsentPage({ ...base, userName: 'Ann' }).includes('Signed in as <strong>Ann</strong>'));
  });

  it('still offers both decisions when no scope needs describing', () => {
    const page = renderConsentPage({ ...base, scopes: [] });
    assert.ok(!page.includes('<ul'));
    assert.ok(form(page).includes('value="allow"'));
  });
});
