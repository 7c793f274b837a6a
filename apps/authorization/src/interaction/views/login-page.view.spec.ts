import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderLoginPage, type LoginPageInput } from './login-page.view.js';

const base: LoginPageInput = {
  tenantName: 'Acme',
  formAction: '/t/acme/interaction/i-123/login',
  csrfToken: 'csrf-abc',
  nonce: 'q0JZyF3m8lM5n2xYp7Vb1A==',
};

function inputTag(page: string, id: string): string {
  const tag = new RegExp(`<input [^>]*\\bid="${id}"[^>]*>`).exec(page)?.[0];
  assert.ok(tag, `no input with id="${id}"`);
  return tag;
}

describe('renderLoginPage', () => {
  it('is a titled HTML5 page named after the tenant', () => {
    const page = renderLoginPage(base);
    assert.match(page, /^<!doctype html>\n<html lang="en">/);
    assert.ok(page.includes('<title>Sign in – Acme</title>'));
    assert.match(page, /<h1>[^<]*Acme<\/h1>/);
  });

  it('posts to the given action with the CSRF token in a hidden field', () => {
    const page = renderLoginPage({ ...base, formAction: '/t/acme/interaction/login?a=1&b=2' });
    assert.ok(page.includes('<form method="post" action="/t/acme/interaction/login?a=1&amp;b=2">'));
    assert.ok(page.includes('<input type="hidden" name="csrf" value="csrf-abc">'));
  });

  it('ties every label to an input by for and id', () => {
    const page = renderLoginPage(base);
    const targets = [...page.matchAll(/<label for="([^"]+)">/g)].map((match) => match[1] ?? '');
    assert.deepEqual(targets, ['username', 'password']);
    for (const id of targets) inputTag(page, id);
  });

  it('marks the fields for password managers and mobile keyboards', () => {
    const page = renderLoginPage(base);
    const username = inputTag(page, 'username');
    for (const attribute of ['name="username"', 'autocomplete="username"', 'autocapitalize="none"', 'spellcheck="false"', ' required']) {
      assert.ok(username.includes(attribute), `username field lacks ${attribute}`);
    }
    const password = inputTag(page, 'password');
    for (const attribute of ['type="password"', 'name="password"', 'autocomplete="current-password"', ' required']) {
      assert.ok(password.includes(attribute), `password field lacks ${attribute}`);
    }
    assert.ok(page.includes('<button type="submit">Sign in</button>'));
  });

  it('prefills the username from the last attempt, else from login_hint', () => {
    assert.ok(inputTag(renderLoginPage(base), 'username').includes('value=""'));
    assert.ok(inputTag(renderLoginPage({ ...base, loginHint: 'hint@acme.test' }), 'username').includes('value="hint@acme.test"'));
    const retried = renderLoginPage({ ...base, loginHint: 'hint@acme.test', username: 'ann' });
    assert.ok(inputTag(retried, 'username').includes('value="ann"'));
  });

  it('announces an error before the form, and only when there is one', () => {
    assert.ok(!renderLoginPage(base).includes('role="alert"'));
    const page = renderLoginPage({ ...base, error: 'Wrong username or password.' });
    const alert = page.indexOf('<p class="error" role="alert">Wrong username or password.</p>');
    assert.ok(alert !== -1);
    assert.ok(alert < page.indexOf('<form'));
  });
});
