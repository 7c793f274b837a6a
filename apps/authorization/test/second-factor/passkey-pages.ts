import assert from 'node:assert/strict';

/** The passkey form of a page: where it posts, its ceremony, its options (decoded from the attribute) and the CSRF token. */
export interface PasskeyForm {
  readonly action: string;
  readonly ceremony: 'register' | 'authenticate';
  readonly options: Record<string, unknown>;
  readonly csrf: string;
}

export function passkeyForm(html: string, pageUrl: string): PasskeyForm {
  const match = html.match(
    /<form method="post" action="([^"]+)" data-passkey="(register|authenticate)" data-options="([^"]*)" hidden>\s*<input type="hidden" name="csrf" value="([^"]*)">/,
  );
  assert.ok(match, `no passkey form on the page:\n${html.slice(0, 400)}`);
  const [, action = '', ceremony = '', options = '', csrf = ''] = match;
  return {
    action: new URL(decode(action), pageUrl).toString(),
    ceremony: ceremony as PasskeyForm['ceremony'],
    options: JSON.parse(decode(options)) as Record<string, unknown>,
    csrf: decode(csrf),
  };
}

export function hasPasskeyForm(html: string): boolean {
  return /data-passkey="(register|authenticate)"/.test(html);
}

/** The alert of a re-rendered page. */
export function alertText(html: string): string | null {
  return html.match(/<p class="error"(?: id="[^"]+")? role="alert">([^<]*)<\/p>/)?.[1] ?? null;
}

function decode(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
