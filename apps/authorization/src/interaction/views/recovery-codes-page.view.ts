import type { PageChrome } from './page-chrome.js';
import { renderPage } from './page-layout.view.js';
import { markup } from './safe-html.js';

export interface RecoveryCodesPageInput {
  readonly chrome: PageChrome;
  /** Posts to continue the sign-in (consent, or back to the client). */
  readonly formAction: string;
  readonly csrfToken: string;
  readonly codes: readonly string[];
}

/** The ten recovery codes, shown once right after enrolment. */
export function renderRecoveryCodesPage(input: RecoveryCodesPageInput): string {
  const { t, brand } = input.chrome;
  const items = input.codes.map((code) => markup`<li><code>${code}</code></li>`);
  return renderPage({
    chrome: input.chrome,
    title: t.text('recovery.title', { brand: brand.name }),
    showClient: false,
    body: markup`<h1>${t.text('recovery.heading')}</h1>
<p class="lead" id="recovery-help">${t.text('recovery.body')}</p>
<ol class="recovery-codes" aria-describedby="recovery-help">${items}</ol>
<form method="post" action="${input.formAction}">
  <input type="hidden" name="csrf" value="${input.csrfToken}">
  <button type="submit">${t.text('recovery.continue')}</button>
</form>`,
  });
}
