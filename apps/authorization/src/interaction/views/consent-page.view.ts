import type { PageChrome } from './page-chrome.js';
import { renderPage } from './page-layout.view.js';
import { EMPTY_HTML, markup, type SafeHtml } from './safe-html.js';

export interface ConsentScope {
  readonly name: string;
  /** The scope in words, in the page's language. */
  readonly description: string;
}

/** An API (RFC 8707 resource) the client asks access to, and the scopes it asks for there. */
export interface ConsentApi {
  readonly name: string;
  readonly identifier: string;
  readonly scopes: readonly ConsentScope[];
}

export interface ConsentPageInput {
  /** Its client is the one asking: named in the heading, with its logo and links. */
  readonly chrome: PageChrome & { readonly client: NonNullable<PageChrome['client']> };
  /** Scopes about the account itself (the OpenID ones), for no API. */
  readonly scopes: readonly ConsentScope[];
  /** Each API with its scopes, listed under its name and identifier: `read` at one API is not `read` at another. */
  readonly apis?: readonly ConsentApi[];
  readonly formAction: string;
  readonly csrfToken: string;
  readonly userName?: string;
  /** RFC 9396 §9.1: what the client asks to do beyond scopes, each object shown field by field. */
  readonly authorizationDetails?: readonly Readonly<Record<string, unknown>>[];
}

export function renderConsentPage(input: ConsentPageInput): string {
  const { t, brand, client } = input.chrome;
  const account =
    input.userName === undefined ? EMPTY_HTML : markup`<p class="lead">${t.text('consent.signedInAs', { user: input.userName })}</p>\n`;
  const apis = input.apis ?? [];
  const accountScopes =
    input.scopes.length === 0
      ? EMPTY_HTML
      : markup`<p>${t.text('consent.account', { client: client.name })}</p>\n${scopeList(input.scopes)}`;
  const apiScopes = apis.map(
    (api) => markup`<h2>${t.text('consent.api', { api: api.name })} <code>${api.identifier}</code></h2>\n${scopeList(api.scopes)}`,
  );
  return renderPage({
    chrome: input.chrome,
    title: t.text('consent.title', { brand: brand.name }),
    showClient: true,
    body: markup`<h1>${t.text('consent.heading', { client: client.name, brand: brand.name })}</h1>
${account}${accountScopes}${apiScopes}${detailsList(input)}<p class="notice">${t.text('consent.notice', { client: client.name })}</p>
<form method="post" action="${input.formAction}">
  <input type="hidden" name="csrf" value="${input.csrfToken}">
  <button type="submit" name="decision" value="allow">${t.text('consent.allow')}</button>
  <button type="submit" name="decision" value="deny" class="secondary">${t.text('consent.deny')}</button>
</form>`,
  });
}

function scopeList(scopes: readonly ConsentScope[]): SafeHtml {
  return markup`<ul class="scopes">
${scopes.map((scope) => markup`  <li>${scope.description} <code>${scope.name}</code></li>\n`)}</ul>
`;
}

/** Each authorization detail under its type, its fields as a list; nested values as compact JSON, all escaped. */
function detailsList(input: ConsentPageInput): SafeHtml {
  const details = input.authorizationDetails ?? [];
  if (details.length === 0) return EMPTY_HTML;
  const { t, client } = input.chrome;
  const shown = (value: unknown): string =>
    Array.isArray(value) && value.every((item) => typeof item !== 'object')
      ? value.join(', ')
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  const items = details.map((detail) => {
    const fields = Object.entries(detail).filter(([name]) => name !== 'type');
    return markup`<li><code>${String(detail['type'])}</code>
  <dl class="details">
${fields.map(
  ([name, value]) => markup`    <dt>${name}</dt><dd>${shown(value)}</dd>
`,
)}  </dl>
</li>
`;
  });
  return markup`<h2>${t.text('consent.details', { client: client.name })}</h2>
<ul class="scopes">
${items}</ul>
`;
}
