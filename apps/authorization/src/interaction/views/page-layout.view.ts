import { PAGE_STYLES } from './page.styles.js';
import { markup, type SafeHtml } from './safe-html.js';

export interface PageLayout {
  title: string;
  nonce: string;
  body: SafeHtml;
}

/** The document shell shared by every interaction page: no script, no external resource. */
export function renderPage(page: PageLayout): string {
  return markup`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${page.title}</title>
    <style nonce="${page.nonce}">${PAGE_STYLES}</style>
  </head>
  <body>
    <main>
${page.body}
    </main>
  </body>
</html>
`.toString();
}
