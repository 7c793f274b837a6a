import { randomBytes } from 'node:crypto';

// Base64 or base64url of at least 128 bits: anything else could smuggle a directive into the policy.
const NONCE = /^[A-Za-z0-9+/_-]{22,}={0,2}$/;

/** CSP 3 §6.7.1: a nonce needs at least 128 bits from a cryptographic source. */
export function createCspNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Headers for every interaction page; `nonce` must be the one the page's <style> carries.
 * `imageOrigins` are the http(s) origins of the tenant's and client's logos, if any.
 */
export function pageSecurityHeaders(nonce: string, imageOrigins: readonly string[] = []): Record<string, string> {
  if (!NONCE.test(nonce)) throw new Error('CSP nonce must be base64');
  const images = imageOrigins.map(cspOrigin);
  return {
    // No form-action: Chromium applies it to the redirect that follows a form POST,
    // which would block the return to the client's redirect_uri after login or consent.
    'content-security-policy': [
      "default-src 'none'",
      `style-src 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      ["img-src 'self' data:", ...images].join(' '),
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'content-type': 'text/html; charset=utf-8',
    'cross-origin-opener-policy': 'same-origin',
  };
}

/** An origin as a CSP source expression; anything that could end the directive is refused. */
function cspOrigin(origin: string): string {
  const url = new URL(origin);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin || /[\s;,']/.test(origin))
    throw new Error('image origin must be an http(s) origin');
  return origin;
}
