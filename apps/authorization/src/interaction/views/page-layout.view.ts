import { displayableLogo, displayableUrl, supportUrl, type PageChrome } from './page-chrome.js';
import { themeProperties } from './page-theme.js';
import { PAGE_STYLES } from './page.styles.js';
import { EMPTY_HTML, markup, SafeHtml } from './safe-html.js';

export interface PageLayout {
  readonly chrome: PageChrome;
  readonly title: string;
  readonly body: SafeHtml;
  /** Show the client's logo above the heading and its policy links below the card (login and consent). */
  readonly showClient?: boolean;
}

/** The document shell shared by every end-user page: no external resource but logos and the same-origin passkey script. */
export function renderPage(page: PageLayout): string {
  const { chrome } = page;
  const theme = new SafeHtml(themeProperties(chrome.brand.primaryColor));
  return markup`<!doctype html>
<html lang="${chrome.t.locale}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <title>${page.title}</title>
    <style nonce="${chrome.nonce}">${theme}${PAGE_STYLES}</style>
  </head>
  <body>
    <div class="page">
${brandHeader(chrome)}    <main>
${page.showClient ? clientBadge(chrome) : EMPTY_HTML}${page.body}
    </main>
${footer(chrome, page.showClient === true)}    </div>
  </body>
</html>
`.toString();
}

function brandHeader(chrome: PageChrome): SafeHtml {
  const logo = displayableLogo(chrome.brand.logoUri);
  // The logo carries the name as its alt text, so the name is not read twice.
  const mark = logo === undefined ? markup`<span>${chrome.brand.name}</span>` : markup`<img src="${logo}" alt="${chrome.brand.name}">`;
  return markup`    <header class="brand">${mark}</header>\n`;
}

function clientBadge(chrome: PageChrome): SafeHtml {
  const logo = displayableLogo(chrome.client?.logoUri);
  if (!chrome.client || logo === undefined) return EMPTY_HTML;
  // Decorative: the heading next to it names the client.
  return markup`<div class="client"><img src="${logo}" alt=""></div>\n`;
}

function footer(chrome: PageChrome, showClient: boolean): SafeHtml {
  const { t, client } = chrome;
  const links: SafeHtml[] = [];
  const clientLinks: SafeHtml[] = [];
  if (showClient && client) {
    const home = displayableUrl(client.clientUri);
    const policy = displayableUrl(client.policyUri);
    const terms = displayableUrl(client.tosUri);
    if (home) clientLinks.push(markup`<a href="${home}" rel="noopener noreferrer">${client.name}</a>`);
    if (policy) clientLinks.push(markup`<a href="${policy}" rel="noopener noreferrer">${t.text('page.privacy')}</a>`);
    if (terms) clientLinks.push(markup`<a href="${terms}" rel="noopener noreferrer">${t.text('page.terms')}</a>`);
  }
  if (clientLinks.length > 0) links.push(markup`<p>${t.text('page.clientLinks', { client: client?.name ?? '' })} ${clientLinks}</p>`);
  const support = supportUrl(chrome.brand.supportUri);
  if (support) links.push(markup`<p><a href="${support}" rel="noopener noreferrer">${t.text('page.help')}</a></p>`);
  if (links.length === 0) return EMPTY_HTML;
  return markup`    <footer>${links}</footer>\n`;
}
