import type { PageChrome } from './page-chrome.js';
import { renderPage } from './page-layout.view.js';
import { renderPasskeyForm, type PasskeyOffer } from './passkey-form.view.js';
import { EMPTY_HTML, markup } from './safe-html.js';

/**
 * `throttled`: the progressive delay, decided by the username's recent failures, never by the account.
 * `passkeyFailed`: a passkey instead of the password was refused (docs/adr/0010); the fields are not at fault.
 */
export type LoginPageError = 'failed' | 'locked' | 'throttled' | 'passkeyFailed';

const ERROR_TEXT = {
  failed: 'login.failed',
  locked: 'login.locked',
  throttled: 'login.throttled',
  passkeyFailed: 'passkey.failed',
} as const;

export interface LoginPageInput {
  readonly chrome: PageChrome;
  /** An absolute path: after a failed POST the page's own URL is the form's, so a relative action would drift. */
  readonly formAction: string;
  readonly csrfToken: string;
  /** The username just submitted, when the page is shown again after a failure. */
  readonly username?: string | undefined;
  /** Why the last submission failed, announced to screen readers and tied to both fields. */
  readonly error?: LoginPageError | undefined;
  /** OIDC Core §3.1.2.1 `login_hint`: only prefills the field, never trusted. */
  readonly loginHint?: string | undefined;
  /** prompt=select_account with a session: the account signed in, offered above the form (its own form and action). */
  readonly currentAccount?: { readonly username: string; readonly formAction: string } | undefined;
  /** Where the tenant allows it (docs/adr/0010): a discoverable passkey instead of username and password. */
  readonly passkey?: PasskeyOffer | undefined;
}

export function renderLoginPage(input: LoginPageInput): string {
  const { t, brand, client } = input.chrome;
  const username = input.username ?? input.loginHint ?? '';
  const failed = input.error !== undefined && input.error !== 'passkeyFailed';
  const error = input.error ? markup`<p class="error" id="login-error" role="alert">${t.text(ERROR_TEXT[input.error])}</p>\n` : EMPTY_HTML;
  const invalid = failed ? markup` aria-invalid="true" aria-describedby="login-error"` : EMPTY_HTML;
  // The cursor goes where the person has to type next: the password after a failure or a hint.
  const focusUsername = username === '' ? markup` autofocus` : EMPTY_HTML;
  const focusPassword = username === '' ? EMPTY_HTML : markup` autofocus`;
  const passkey = input.passkey
    ? markup`\n<p class="divider" data-passkey-divider hidden>${t.text('passkey.or')}</p>\n${renderPasskeyForm(
        input.chrome,
        input.passkey,
        {
          csrfToken: input.csrfToken,
          button: t.text('passkey.signIn'),
          secondary: true,
        },
      )}`
    : EMPTY_HTML;
  const lead = client ? markup`<p class="lead">${t.text('login.continueTo', { client: client.name })}</p>\n` : EMPTY_HTML;
  const account = input.currentAccount;
  const chooser = account
    ? markup`<form method="post" action="${account.formAction}" class="account-choice">
  <input type="hidden" name="csrf" value="${input.csrfToken}">
  <button type="submit">${t.text('login.continueAs', { username: account.username })}</button>
</form>
<p>${t.text('login.otherAccount')}</p>
`
    : EMPTY_HTML;
  return renderPage({
    chrome: input.chrome,
    title: t.text('login.title', { brand: brand.name }),
    showClient: true,
    body: markup`<h1>${t.text('login.heading', { brand: brand.name })}</h1>
${lead}${error}${chooser}<form method="post" action="${input.formAction}" novalidate>
  <input type="hidden" name="csrf" value="${input.csrfToken}">
  <label for="username">${t.text('login.username')}</label>
  <input type="text" id="username" name="username" value="${username}" autocomplete="username" autocapitalize="none" spellcheck="false" required${invalid}${focusUsername}>
  <label for="password">${t.text('login.password')}</label>
  <input type="password" id="password" name="password" autocomplete="current-password" required${invalid}${focusPassword}>
  <button type="submit">${t.text('login.submit')}</button>
</form>${passkey}`,
  });
}
