import type { PageChrome } from './page-chrome.js';
import { renderPage } from './page-layout.view.js';
import { EMPTY_HTML, markup } from './safe-html.js';

export interface SecondFactorPageInput {
  readonly chrome: PageChrome;
  /** An absolute path (issue 11): after a failed POST the page's URL is the form's. */
  readonly formAction: string;
  readonly csrfToken: string;
  readonly error?: 'failed' | 'locked' | undefined;
}

/** After the password: a TOTP code, or one of the recovery codes, in one field. */
export function renderSecondFactorPage(input: SecondFactorPageInput): string {
  const { t, brand } = input.chrome;
  const failed = input.error !== undefined;
  const error = failed
    ? markup`<p class="error" id="code-error" role="alert">${t.text(input.error === 'locked' ? 'login.locked' : 'mfa.failed')}</p>\n`
    : EMPTY_HTML;
  const described = failed ? markup` aria-invalid="true" aria-describedby="code-hint code-error"` : markup` aria-describedby="code-hint"`;
  return renderPage({
    chrome: input.chrome,
    title: t.text('mfa.title', { brand: brand.name }),
    showClient: true,
    body: markup`<h1>${t.text('mfa.heading')}</h1>
${error}<form method="post" action="${input.formAction}" novalidate>
  <input type="hidden" name="csrf" value="${input.csrfToken}">
  <label for="code">${t.text('mfa.code')}</label>
  <p class="lead" id="code-hint">${t.text('mfa.hint')}</p>
  <input type="text" id="code" name="code" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" required${described} autofocus>
  <button type="submit">${t.text('mfa.submit')}</button>
</form>`,
  });
}
