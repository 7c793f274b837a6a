import type { PageChrome } from './page-chrome.js';
import { renderPage } from './page-layout.view.js';
import { markup } from './safe-html.js';

/** Shown after a logout that has no (valid) post_logout_redirect_uri to return to. */
export function renderSignedOutPage(chrome: PageChrome): string {
  const { t, brand } = chrome;
  return renderPage({
    chrome,
    title: t.text('signedOut.title', { brand: brand.name }),
    body: markup`<h1>${t.text('signedOut.heading')}</h1>
<p>${t.text('signedOut.body', { brand: brand.name })}</p>`,
  });
}
