/** The languages the end-user pages speak; the first is the fallback. */
export const LOCALES = ['en', 'de', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * The page language: the first supported tag of OIDC Core §3.1.2.1 `ui_locales` (the
 * client's wish, space-separated BCP 47, in order of preference), else the browser's
 * Accept-Language (RFC 9110 §12.5.4, by q-value), else English. Tags match on their
 * primary language (`de-CH` is German).
 */
export function chooseLocale(uiLocales: string | undefined, acceptLanguage: string | undefined): Locale {
  for (const tag of (uiLocales ?? '').split(' ')) {
    const locale = supported(tag);
    if (locale) return locale;
  }
  for (const tag of byPreference(acceptLanguage ?? '')) {
    const locale = supported(tag);
    if (locale) return locale;
  }
  return LOCALES[0];
}

function supported(tag: string): Locale | undefined {
  const primary = tag.trim().split('-')[0]?.toLowerCase();
  return LOCALES.find((locale) => locale === primary);
}

function byPreference(header: string): string[] {
  return header
    .slice(0, 512)
    .split(',')
    .map((entry, index) => {
      const [tag = '', ...params] = entry.trim().split(';');
      const q = params
        .map((param) => /^\s*q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*$/i.exec(param)?.[1])
        .find((value) => value !== undefined);
      return { tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0 && entry.tag !== '')
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.tag);
}

/** The raw `ui_locales` of a request not yet validated: even its error page speaks the language asked for. */
export function uiLocalesParam(rawParams: unknown): string | undefined {
  const value = typeof rawParams === 'object' && rawParams !== null ? (rawParams as Record<string, unknown>)['ui_locales'] : undefined;
  return typeof value === 'string' ? value.slice(0, 256) : undefined;
}
