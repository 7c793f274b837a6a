import { renderPage } from './page-layout.view.js';
import { EMPTY_HTML, markup, type SafeHtml } from './safe-html.js';

export interface ConsentScope {
  name: string;
  description: string;
}

/** An API (RFC 8707 resource) the client asks access to, and the scopes it asks for there. */
export interface ConsentApi {
  name: string;
  identifier: string;
  scopes: readonly ConsentScope[];
}

export interface ConsentPageInput {
  tenantName: string;
  clientName: string;
  /** Scopes about the account itself (the OpenID ones), for no API. */
  scopes: readonly ConsentScope[];
  /** Each API with its scopes, listed under its name and identifier: `read` at one API is not `read` at another. */
  apis?: readonly ConsentApi[];
  formAction: string;
  csrfToken: string;
  nonce: string;
  userName?: string;
}

export function renderConsentPage(input: ConsentPageInput): string {
  const account = input.userName === undefined ? EMPTY_HTML : markup`<p>Signed in as <strong>${input.userName}</strong></p>`;
  const apis = input.apis ?? [];
  const requested =
    input.scopes.length === 0 && apis.length === 0
      ? EMPTY_HTML
      : markup`<p>Requested access:</p>
${input.scopes.length === 0 ? EMPTY_HTML : scopeList(input.scopes)}${apis.map(
          (api) => markup`<h2>${api.name} <code>${api.identifier}</code></h2>
${scopeList(api.scopes)}`,
        )}`;
  return renderPage({
    title: `Allow access – ${input.tenantName}`,
    nonce: input.nonce,
    body: markup`<h1>${input.clientName} wants to access your ${input.tenantName} account</h1>
${account}
${requested}
<form method="post" action="${input.formAction}">
  <input type="hidden" name="csrf" value="${input.csrfToken}">
  <button type="submit" name="decision" value="allow">Allow</button>
  <button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  });
}

function scopeList(scopes: readonly ConsentScope[]): SafeHtml {
  return markup`<ul class="scopes">
${scopes.map((scope) => markup`  <li>${scope.description} <code>${scope.name}</code></li>\n`)}</ul>
`;
}
