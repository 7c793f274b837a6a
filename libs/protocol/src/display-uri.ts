import { hasLoneSurrogate } from './unicode-text.js';

/** RFC 7591 §2 and tenant branding: a URI shown to a person is at most this long (the clients' columns). */
export const DISPLAY_URI_MAX_LENGTH = 2000;

export interface DisplayUriOptions {
  /** Also a base64 `data:image/…` URI of at most this many characters (a logo the page inlines). */
  readonly dataImageMaxLength?: number;
  /** Also a `mailto:` link (a support address). */
  readonly mailto?: boolean;
}

// Raster types and SVG: an SVG in <img> runs no script, and browsers refuse top-level data: navigation.
const DATA_IMAGE = /^data:image\/(?:png|svg\+xml|jpeg|webp|gif);base64,[A-Za-z0-9+/]+={0,2}$/;
// The host as written: 127.1, 0x7f.0.0.1 or 2130706433 would also parse to 127.0.0.1.
const LOOPBACK_HTTP = /^http:\/\/(?:127\.0\.0\.1|\[::1\]|localhost)(?::\d{1,5})?(?:[/?#]|$)/i;
const HOSTNAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.?|\[[0-9a-f:.]+\])$/;
const MAILTO = /^mailto:[^\s@,;?#<>"'()\\]+@[^\s@,;?#<>"'()\\/]+(?:\?[^\s#<>"'\\]*)?$/i;

/**
 * Null when `uri` may be shown to a person as a link or an image, else why not: an absolute https
 * URL, or http on a loopback host (development), without user information (`https://bank@evil`),
 * whitespace, control characters or backslashes, at most 2000 characters; with the options, also
 * a base64 data:image URI or a mailto: link. Never `javascript:`, `data:text/html` or the like.
 */
export function displayUriProblem(uri: string, options: DisplayUriOptions = {}): string | null {
  const expected = expectedForm(options);
  if (/^data:/i.test(uri) && options.dataImageMaxLength !== undefined) {
    if (uri.length > options.dataImageMaxLength) return `is longer than ${options.dataImageMaxLength} characters`;
    const payload = uri.slice(uri.indexOf(',') + 1);
    return DATA_IMAGE.test(uri) && payload.length % 4 === 0
      ? null
      : 'must be a base64 data:image URI of type png, svg+xml, jpeg, webp or gif';
  }
  if (uri.length > DISPLAY_URI_MAX_LENGTH) return `is longer than ${DISPLAY_URI_MAX_LENGTH} characters`;
  // The URL parser would strip or fold these silently (" javascript:…", "https:\\evil.example").
  if (/[\s\p{Cc}\\]/u.test(uri) || hasLoneSurrogate(uri)) return 'must not contain whitespace, control characters or backslashes';
  if (/^mailto:/i.test(uri) && options.mailto) return MAILTO.test(uri) ? null : 'must be a mailto: link with one address';
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return `must be ${expected}`;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `must be ${expected}`;
  const authority = /^https?:\/\/([^/?#]*)/i.exec(uri)?.[1];
  if (authority === undefined || parsed.hostname === '') return `must be ${expected}`;
  if (authority.includes('@')) return 'must not contain user information';
  // Its origin goes into the pages' CSP img-src: `*` or `;` there would widen or break the policy.
  if (!HOSTNAME.test(parsed.hostname)) return 'must name its host with letters, digits, dots and hyphens, or an IP address';
  if (parsed.protocol === 'http:' && !LOOPBACK_HTTP.test(uri)) return `must be ${expected}`;
  return null;
}

/** The host a display URI names (lower case, IDNs in punycode); null for data: and mailto: URIs. */
export function displayUriHost(uri: string): string | null {
  if (!/^https?:/i.test(uri)) return null;
  try {
    return new URL(uri).hostname || null;
  } catch {
    return null;
  }
}

function expectedForm(options: DisplayUriOptions): string {
  const alternatives = [
    ...(options.dataImageMaxLength !== undefined ? ['a data:image URI'] : []),
    ...(options.mailto ? ['a mailto: link'] : []),
  ];
  const https = 'an https URL (http only on 127.0.0.1, [::1] or localhost)';
  return alternatives.length === 0 ? https : `${https} or ${alternatives.join(' or ')}`;
}
