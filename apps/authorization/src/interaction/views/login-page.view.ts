import { renderPage } from './page-layout.view.js';
import { EMPTY_HTML, markup } from './safe-html.js';

export interface LoginPageInput {
  tenantName: string;
  formAction: string;
  csrfToken: string;
  /** The username just submitted, when the page is shown again after a failure. */
  username?: string;
  error?: string;
  nonce: string;
  /** OIDC Core §3.1.2.1 `login_hint`: only prefills the field, never trusted. */
  loginHint?: string;
}

export function renderLoginPage(input: LoginPageInput): string {
  const username = input.username ?? input.loginHint ?? '';
  const error = input.error === undefined ? EMPTY_HTML : markup`<p class="error" role="alert">${input.error}</p>`;
  return renderPage({
    title: `Sign in – ${input.tenantName}`,
    nonce: input.nonce,
    body: markup`<h1>Sign in to ${input.tenantName}</h1>
${error}
<form method="post" action="${input.formAction}">
  <input type="hidden" name="csrf" value="${input.csrfToken}">
  <label for="username">Username</label>
  <input type="text" id="username" name="username" value="${username}" autocomplete="username" autocapitalize="none" spellcheck="false" required>
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>`,
  });
}
