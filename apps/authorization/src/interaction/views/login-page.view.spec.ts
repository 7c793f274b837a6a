import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderLoginPage, type LoginPageInput } from './login-page.view.js';
import { testChrome } from './page-chrome.fixture.js';

const base: LoginPageInput = {
  chrome: testChrome({ client: { name: 'Acme Portal' } }),
  formAction: '/t/acme/interaction/i-123/login',
  csrfToken: 'csrf-abc',
};

function inputTag(page: string, id: string): string {
  const tag = new RegExp(`<input [^>]*\\bid="${id}"[^>]*>`).exec(page)?.[0];
  assert.ok(tag, `no input with id="${id}"`);
  return tag;
}

describe('renderLoginPage', () => {
  it('says what the person signs in to and for which application', () => {
    const page = renderLoginPage(base);
    assert.match(page, /^<!doctype html>\n<html lang="en">/);
    assert.ok(page.includes('<title>Sign in – Acme</title>'));
    assert.ok(page.includes('<h1>Sign in to Acme</h1>'));
    assert.ok(page.includes('<p class="lead">to continue to Acme Portal</p>'));
    assert.ok(!renderLoginPage({ ...base, chrome: testChrome() }).includes('to continue to'), 'no client, no lead');
  });

  it('posts to the given action with the CSRF token in a hidden field', () => {
    const page = renderLoginPage({ ...base, formAction: '/t/acme/interaction/login?a=1&b=2' });
    assert.ok(page.includes('<form method="post" action="/t/acme/interaction/login?a=1&amp;b=2" novalidate>'));
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

  it('prefills the username from the last attempt, else from login_hint, and focuses the field to fill', () => {
    assert.ok(inputTag(renderLoginPage(base), 'username').includes('value=""'));
    assert.ok(inputTag(renderLoginPage(base), 'username').includes(' autofocus'));
    const hinted = renderLoginPage({ ...base, loginHint: 'hint@acme.test' });
    assert.ok(inputTag(hinted, 'username').includes('value="hint@acme.test"'));
    assert.ok(inputTag(hinted, 'password').includes(' autofocus') && !inputTag(hinted, 'username').includes('autofocus'));
    const retried = renderLoginPage({ ...base, loginHint: 'hint@acme.test', username: 'ann' });
    assert.ok(inputTag(retried, 'username').includes('value="ann"'));
  });

  it('announces an error before the form, tied to both fields, and only when there is one', () => {
    const clean = renderLoginPage(base);
    assert.ok(!clean.includes('role="alert"') && !clean.includes('aria-invalid="'));
    const page = renderLoginPage({ ...base, error: 'failed' });
    const alert = page.indexOf('<p class="error" id="login-error" role="alert">Incorrect username or password.</p>');
    assert.ok(alert !== -1);
    assert.ok(alert < page.indexOf('<form'));
    for (const id of ['username', 'password']) {
      assert.ok(inputTag(page, id).includes('aria-invalid="true" aria-describedby="login-error"'), `${id} is not tied to the error`);
    }
  });

  it('asks to wait when the progressive delay refuses the attempt', () => {
    const page = renderLoginPage({ ...base, error: 'throttled' });
    assert.match(page, /role="alert">Too many failed sign-in attempts for this account\. Wait a few seconds and try again\.<\/p>/);
  });

  it('says the account is locked with the locked notice', () => {
    const page = renderLoginPage({ ...base, error: 'locked' });
    assert.match(page, /role="alert">Too many failed sign-in attempts for this account\. Try again later, or contact support\.<\/p>/);
  });

  it('speaks German and French', () => {
    const german = renderLoginPage({ ...base, chrome: testChrome({ locale: 'de', client: { name: 'Portal' } }), error: 'failed' });
    assert.match(german, /^<!doctype html>\n<html lang="de">/);
    for (const text of [
      '<h1>Bei Acme anmelden</h1>',
      'um mit Portal fortzufahren',
      '>Benutzername</label>',
      '>Passwort</label>',
      '>Anmelden</button>',
    ])
      assert.ok(german.includes(text), `German page lacks ${text}`);
    assert.ok(german.includes('Benutzername oder Passwort ist falsch.'));
    const french = renderLoginPage({ ...base, chrome: testChrome({ locale: 'fr' }) });
    assert.match(french, /<html lang="fr">/);
    assert.ok(french.includes('>Se connecter</button>') && french.includes('>Nom d&#39;utilisateur</label>'));
  });
});
