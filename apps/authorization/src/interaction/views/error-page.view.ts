import { renderPage } from './page-layout.view.js';
import { markup } from './safe-html.js';

export interface ErrorPageInput {
  tenantName?: string;
  title: string;
  message: string;
  nonce: string;
}

/**
 * Shown when the client or redirect_uri cannot be trusted, so it offers no link and no
 * redirect: RFC 6749 §4.1.2.1 forbids sending the user agent to an unverified redirect_uri.
 */
export function renderErrorPage(input: ErrorPageInput): string {
  return renderPage({
    title: input.tenantName === undefined ? input.title : `${input.title} – ${input.tenantName}`,
    nonce: input.nonce,
    body: markup`<h1>${input.title}</h1>
<p>${input.message}</p>`,
  });
}
