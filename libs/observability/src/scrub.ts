/**
 * Scrubs secrets out of free text: query strings and form bodies (`code=…`), JSON or
 * object dumps (`"refresh_token":"…"`), credentials after an auth scheme, cookie
 * headers and anything shaped like a JWT. It runs on every string a log line carries,
 * so it must stay a handful of regular expressions with no allocation when nothing matches.
 */
const KEYS = String.raw`[\w-]*(?:secret|token|password|passwd|assertion|otp)[\w-]*|code|code_verifier|user_code|recovery_code|authorization|dpop`;
// key=value or key: value, the key optionally quoted; the value up to a delimiter or its closing quote.
const KEY_VALUE = new RegExp(String.raw`(^|[^\w-])(["']?)(${KEYS})\2(\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s&;,}"'\]]+)`, 'gi');
const SCHEME = /\b(Bearer|Basic|DPoP)(\s+)[\w\-.~+/]{8,}=*/gi;
const COOKIE = /\b((?:set-)?cookie)(["']?\s*[:=]\s*["']?)[^"'\n]+/gi;
const JWT = /\beyJ[\w-]*\.[\w-]*\.[\w-]*/g;
const HINT = /[=:]|bearer|basic|dpop|cookie|eyJ/i;

export function scrub(text: string): string {
  if (!HINT.test(text)) return text;
  return text
    .replace(JWT, '[redacted]')
    .replace(COOKIE, '$1$2[redacted]')
    .replace(SCHEME, '$1$2[redacted]')
    .replace(KEY_VALUE, (_match, lead: string, quote: string, key: string, separator: string, value: string) => {
      const wrapped = value.startsWith('"') ? '"[redacted]"' : value.startsWith("'") ? "'[redacted]'" : '[redacted]';
      return `${lead}${quote}${key}${quote}${separator}${wrapped}`;
    });
}

/** A request target for the log: the path as sent, every secret-looking query value scrubbed. */
export function scrubUrl(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query) + scrub(url.slice(query));
}
