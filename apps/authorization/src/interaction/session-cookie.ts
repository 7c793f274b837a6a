import type { Persistence, Session, Tenant } from '@gatehouse/persistence';
import { generateOpaqueSecret, hashOpaqueSecret } from '@gatehouse/tokens';
import { cookieName, readCookie, serializeCookie } from '../http/cookies.js';

/** One SSO session cookie per tenant; the server keeps the session, the cookie only its random handle. */
export class SessionCookie {
  constructor(private readonly secure: boolean) {}

  name(tenant: Tenant): string {
    return cookieName(`gh_session_${tenant.slug}`, this.secure);
  }

  async find(persistence: Persistence, tenant: Tenant, cookieHeader: string | undefined, now: Date): Promise<Session | null> {
    const value = readCookie(cookieHeader, this.name(tenant));
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) return null;
    return persistence.sessionLookups.findActive(tenant.id, hashOpaqueSecret(value), now);
  }

  issue(tenant: Tenant): { value: string; hash: string; setCookie: string } {
    const value = generateOpaqueSecret();
    return {
      value,
      hash: hashOpaqueSecret(value),
      setCookie: serializeCookie(this.name(tenant), value, { path: '/', secure: this.secure, maxAgeSeconds: tenant.sessionTtlSeconds }),
    };
  }

  /** Expires the cookie at once: the same name, path and attributes it was issued with (RFC 6265 §5.3). */
  clear(tenant: Tenant): string {
    return serializeCookie(this.name(tenant), '', { path: '/', secure: this.secure, maxAgeSeconds: 0 });
  }
}
