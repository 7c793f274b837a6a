import { renderPage } from './page-layout.view.js';
import { EMPTY_HTML, markup } from './safe-html.js';

export interface LogoutConfirmPageInput {
  tenantName: string;
  /** The application that asked, when it could be identified. */
  clientName?: string;
  formAction: string;
  csrfToken: string;
  /** The validated request, carried to the form post (which validates it again). */
  hidden: Readonly<Record<string, string>>;
  nonce: string;
}

/**
 * OIDC RP-Initiated Logout 1.0 §2: without a hint that names this session, the OP asks the
 * user, so a link or an auto-submitted form elsewhere cannot sign them out.
 */
export function renderLogoutConfirmPage(input: LogoutConfirmPageInput): string {
  const asker = input.clientName === undefined ? EMPTY_HTML : markup`<p>${input.clientName} asks you to sign out.</p>`;
  const fields = Object.entries(input.hidden).map(([name, value]) => markup`  <input type="hidden" name="${name}" value="${value}">\n`);
  return renderPage({
    title: `Sign out – ${input.tenantName}`,
    nonce: input.nonce,
    body: markup`<h1>Sign out of ${input.tenantName}?</h1>
${asker}
<form method="post" action="${input.formAction}">
  <input type="hidden" name="csrf" value="${input.csrfToken}">
${fields}  <button type="submit">Sign out</button>
</form>`,
  });
}
