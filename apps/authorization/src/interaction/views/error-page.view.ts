import type { PageChrome } from './page-chrome.js';
import { renderPage } from './page-layout.view.js';
import { EMPTY_HTML, markup } from './safe-html.js';

export type ErrorKind =
  | 'unknownTenant'
  | 'signInExpired'
  | 'alreadyCompleted'
  | 'formRefused'
  | 'tooManyAttempts'
  | 'alreadySubmitted'
  | 'invalidRequest'
  | 'invalidLogout'
  | 'serverError'
  | 'notFound'
  | 'badRequest'
  | 'unauthorized'
  | 'forbidden'
  | 'methodNotAllowed'
  | 'tooManyRequests'
  | 'notSignedIn';

export interface ErrorPageInput {
  readonly chrome: PageChrome;
  readonly kind: ErrorKind;
  /** Replaces the kind's own message (e.g. the logout variant of a refused form). */
  readonly message?: string | undefined;
  /** A technical detail (an OAuth error's hint): in English, for the application's support. */
  readonly detail?: string | undefined;
  /**
   * Where to start again: the client's home, known only once the client and its redirect
   * URI are trusted. Without it the page offers no link: RFC 6749 §4.1.2.1 forbids sending
   * the user agent to an unverified redirect_uri.
   */
  readonly returnTo?: { readonly name: string; readonly href: string } | undefined;
}

export function renderErrorPage(input: ErrorPageInput): string {
  const { t, brand } = input.chrome;
  const title = t.text(`error.${input.kind}.title`);
  const detail =
    input.detail === undefined ? EMPTY_HTML : markup`<p class="detail">${t.text('error.detail', { detail: input.detail })}</p>\n`;
  const link =
    input.returnTo === undefined
      ? EMPTY_HTML
      : markup`<p><a href="${input.returnTo.href}">${t.text('error.returnTo', { client: input.returnTo.name })}</a></p>\n`;
  return renderPage({
    chrome: input.chrome,
    title: `${title} – ${brand.name}`,
    body: markup`<h1>${title}</h1>
<p>${input.message ?? t.text(`error.${input.kind}.message`)}</p>
${detail}${link}`,
  });
}
