import { createHash, timingSafeEqual } from 'node:crypto';
import { generateOpaqueSecret, hashOpaqueSecret } from '@gatehouse/tokens';
import { cookieName, readCookie, serializeCookie } from '../http/cookies.js';

const BINDING_COOKIE = 'gh_browser';

/**
 * Ties an interaction to the browser that started it: a random secret in an
 * HttpOnly cookie (its hash stored with the interaction), and a CSRF token for
 * the forms derived from that secret and the interaction handle. A form posted
 * from another browser, or without the token, is refused (login CSRF).
 */
export class BrowserBinding {
  constructor(private readonly secure: boolean) {}

  /** The browser's secret, and a Set-Cookie header when it had none. */
  obtain(cookieHeader: string | undefined): { secret: string; setCookie?: string } {
    const existing = this.read(cookieHeader);
    if (existing) return { secret: existing };
    const secret = generateOpaqueSecret();
    return { secret, setCookie: serializeCookie(cookieName(BINDING_COOKIE, this.secure), secret, { path: '/', secure: this.secure }) };
  }

  read(cookieHeader: string | undefined): string | undefined {
    const value = readCookie(cookieHeader, cookieName(BINDING_COOKIE, this.secure));
    return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
  }

  csrfToken(secret: string, handle: string): string {
    return createHash('sha256').update(`csrf:${secret}:${handle}`).digest('base64url');
  }

  /** Constant-time: the cookie matches the interaction and the form carries the token derived from it. */
  verify(cookieHeader: string | undefined, browserHash: string, handle: string, presentedCsrf: string | undefined): boolean {
    const secret = this.read(cookieHeader);
    if (!secret || presentedCsrf === undefined) return false;
    const sameBrowser = equal(hashOpaqueSecret(secret), browserHash);
    const sameForm = equal(this.csrfToken(secret, handle), presentedCsrf);
    return sameBrowser && sameForm;
  }

  /** For a form with no stored interaction (logout): the token derived from this browser's secret and `purpose`. */
  verifyCsrf(cookieHeader: string | undefined, purpose: string, presentedCsrf: string | undefined): boolean {
    const secret = this.read(cookieHeader);
    return secret !== undefined && presentedCsrf !== undefined && equal(this.csrfToken(secret, purpose), presentedCsrf);
  }
}

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
