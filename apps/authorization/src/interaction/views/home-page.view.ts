import type { PageChrome } from './page-chrome.js';
import { renderPage } from './page-layout.view.js';
import { markup } from './safe-html.js';

/**
 * `/` on the authorization port: someone who opens the server's address in a browser learns what
 * it is and where to go, instead of an OAuth error in JSON. English only: it is for operators and
 * developers, not the tenants' users (their pages are under /t/{tenant}/).
 */
export function renderHomePage(chrome: PageChrome, publicUrl: string): string {
  const issuer = `${publicUrl}/t/{tenant}`;
  return renderPage({
    chrome,
    title: 'Gatehouse authorization server',
    body: markup`<h1>Gatehouse authorization server</h1>
<p>Applications sign people in through their tenant's issuer, <code>${issuer}</code>.</p>
<p>Each issuer describes itself at <code>${issuer}/.well-known/openid-configuration</code>.</p>
<p>Administrators manage tenants, users and clients through the admin API (its reference is at <code>/docs</code> on the admin port) or the <code>gatehouse</code> command line.</p>`,
  });
}
