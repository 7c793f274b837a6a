import { hkdfSync } from 'node:crypto';
import { issueDeviceId, signDeviceCookie, verifyDeviceCookie } from '@gatehouse/risk';
import { cookieName, readCookie, serializeCookie } from '../http/cookies.js';

const TWO_YEARS_SECONDS = 2 * 365 * 86_400;

export interface BrowserDevice {
  /** The id the browser proved with a valid cookie; absent for a browser we have not seen (or a forged cookie). */
  readonly presentedId: string | undefined;
  /** The id this browser has from now on: the presented one, or a new one. */
  readonly id: string;
  /** Set when a new id was issued. */
  readonly setCookie: string | undefined;
}

/**
 * The long-lived device cookie set at login (risk scoring: "a device this user has not used
 * before"). Signed with a key derived from the key-encryption key, so it cannot be forged
 * or moved between deployments; it identifies a browser, never a user.
 */
export class DeviceCookie {
  private readonly key: Buffer;
  private readonly name: string;

  constructor(
    keyEncryptionKey: Buffer,
    private readonly secure: boolean,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', keyEncryptionKey, Buffer.alloc(0), 'gatehouse device cookie v1', 32));
    this.name = cookieName('gh_device', secure);
  }

  identify(cookieHeader: string | undefined): BrowserDevice {
    const presentedId = verifyDeviceCookie(readCookie(cookieHeader, this.name), this.key) ?? undefined;
    if (presentedId) return { presentedId, id: presentedId, setCookie: undefined };
    const id = issueDeviceId();
    return {
      presentedId: undefined,
      id,
      setCookie: serializeCookie(this.name, signDeviceCookie(id, this.key), {
        path: '/',
        secure: this.secure,
        maxAgeSeconds: TWO_YEARS_SECONDS,
      }),
    };
  }
}
