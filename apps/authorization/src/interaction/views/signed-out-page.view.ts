import { renderPage } from './page-layout.view.js';
import { markup } from './safe-html.js';

export interface SignedOutPageInput {
  tenantName: string;
  nonce: string;
}

/** Shown after a logout that has no (valid) post_logout_redirect_uri to return to. */
export function renderSignedOutPage(input: SignedOutPageInput): string {
  return renderPage({
    title: `Signed out – ${input.tenantName}`,
    nonce: input.nonce,
    body: markup`<h1>You are signed out</h1>
<p>You have signed out of ${input.tenantName}. You can close this window.</p>`,
  });
}
