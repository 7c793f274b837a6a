import { renderPage } from './page-layout.view.js';
import { EMPTY_HTML, markup } from './safe-html.js';

export interface ConsentScope {
  name: string;
  description: string;
}

export interface ConsentPageInput {
  tenantName: string;
  clientName: string;
  scopes: readonly ConsentScope[];
  formAction: string;
  csrfToken: string;
  nonce: string;
  userName?: string;
}

export function renderConsentPage(input: ConsentPageInput): string {
  const account = input.userName === undefined ? EMPTY_HTML : markup`<p>Signed in as <strong>${input.userName}</strong></p>`;
  const scopes =
    input.scopes.length === 0
      ? EMPTY_HTML
      : markup`<p>Requested access:</p>
<ul class="scopes">
${input.scopes.map((scope) => markup`  <li>${scope.description} <code>${scope.name}</code></li>\n`)}</ul>`;
  return renderPage({
    title: `Allow access – ${input.tenantName}`,
    nonce: input.nonce,
    body: markup`<h1>${input.clientName} wants to access your ${input.tenantName} account</h1>
${account}
${scopes}
<form method="post" action="${input.formAction}">
  <input type="hidden" name="csrf" value="${input.csrfToken}">
  <button type="submit" name="decision" value="allow">Allow</button>
  <button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  });
}
