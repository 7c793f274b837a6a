import type { PageChrome } from './page-chrome.js';
import { renderPage } from './page-layout.view.js';
import { EMPTY_HTML, markup } from './safe-html.js';

export interface LogoutConfirmPageInput {
  /** Its client, when set, is the application that asked. */
  readonly chrome: PageChrome;
  readonly formAction: string;
  readonly csrfToken: string;
  /** The validated request, carried to the form post (which validates it again). */
  readonly hidden: Readonly<Record<string, string>>;
}

/**
 * OIDC RP-Initiated Logout 1.0 §2: without a hint that names this session, the OP asks the
 * user, so a link or an auto-submitted form elsewhere cannot sign them out.
 */
export function renderLogoutConfirmPage(input: LogoutConfirmPageInput): string {
  const { t, brand, client } = input.chrome;
  const asker = client === undefined ? EMPTY_HTML : markup`<p class="lead">${t.text('logout.asker', { client: client.name })}</p>\n`;
  const fields = Object.entries(input.hidden).map(([name, value]) => markup`  <input type="hidden" name="${name}" value="${value}">\n`);
  return renderPage({
    chrome: input.chrome,
    title: t.text('logout.title', { brand: brand.name }),
    body: markup`<h1>${t.text('logout.heading', { brand: brand.name })}</h1>
${asker}<form method="post" action="${input.formAction}">
  <input type="hidden" name="csrf" value="${input.csrfToken}">
${fields}  <button type="submit">${t.text('logout.submit')}</button>
</form>`,
  });
}
