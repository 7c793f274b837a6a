import type { PageChrome } from './page-chrome.js';
import { renderPage } from './page-layout.view.js';
import { renderPasskeyForm, type PasskeyOffer } from './passkey-form.view.js';
import { EMPTY_HTML, markup } from './safe-html.js';

export interface SecondFactorPageInput {
  readonly chrome: PageChrome;
  /** An absolute path (issue 11): after a failed POST the page's URL is the form's. */
  readonly formAction: string;
  readonly csrfToken: string;
  readonly error?: 'failed' | 'locked' | 'passkeyFailed' | undefined;
  /** Whether the user has a confirmed TOTP factor (and so recovery codes): the code form. */
  readonly totp?: boolean;
  /** The user's passkeys, when there are any. */
  readonly passkey?: PasskeyOffer | undefined;
}

const ERROR_TEXT = { failed: 'mfa.failed', locked: 'login.locked', passkeyFailed: 'passkey.failed' } as const;

/** After the password: a passkey, and/or a TOTP code or one of the recovery codes in one field. */
export function renderSecondFactorPage(input: SecondFactorPageInput): string {
  const { t, brand } = input.chrome;
  const totp = input.totp !== false;
  const failed = input.error !== undefined;
  const error = failed
    ? markup`<p class="error" id="code-error" role="alert">${t.text(ERROR_TEXT[input.error ?? 'failed'])}</p>\n`
    : EMPTY_HTML;
  const described = failed ? markup` aria-invalid="true" aria-describedby="code-hint code-error"` : markup` aria-describedby="code-hint"`;
  const passkey = input.passkey
    ? markup`<p class="lead">${t.text('passkey.verifyLead')}</p>
${renderPasskeyForm(input.chrome, input.passkey, { csrfToken: input.csrfToken, button: t.text('passkey.use') })}\n`
    : EMPTY_HTML;
  const divider = input.passkey && totp ? markup`<p class="divider">${t.text('passkey.or')}</p>\n` : EMPTY_HTML;
  const codeForm = totp
    ? markup`${divider}<form method="post" action="${input.formAction}" novalidate>
  <input type="hidden" name="csrf" value="${input.csrfToken}">
  <label for="code">${t.text('mfa.code')}</label>
  <p class="lead" id="code-hint">${t.text('mfa.hint')}</p>
  <input type="text" id="code" name="code" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" required${described}${input.passkey ? EMPTY_HTML : markup` autofocus`}>
  <button type="submit"${input.passkey ? markup` class="secondary"` : EMPTY_HTML}>${t.text('mfa.submit')}</button>
</form>`
    : EMPTY_HTML;
  return renderPage({
    chrome: input.chrome,
    title: t.text('mfa.title', { brand: brand.name }),
    showClient: true,
    body: markup`<h1>${t.text(totp ? 'mfa.heading' : 'passkey.verifyHeading')}</h1>
${error}${passkey}${codeForm}`,
  });
}
