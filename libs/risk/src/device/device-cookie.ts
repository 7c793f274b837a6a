import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// 128 random bits, base64url without padding.
const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/;
const MAC_LENGTH = 32;
// Domain separation: this key may be derived from a secret that MACs other things too.
const MAC_CONTEXT = 'gatehouse.device-cookie.v1:';
const MIN_KEY_LENGTH = 32;

/** A new random device id (128 bits, base64url): the value of a fresh device cookie. */
export function issueDeviceId(): string {
  return randomBytes(16).toString('base64url');
}

/** `<deviceId>.<HMAC-SHA256(key, context || deviceId)>`, both base64url: safe as a cookie value. */
export function signDeviceCookie(deviceId: string, key: Buffer): string {
  if (!DEVICE_ID.test(deviceId)) throw new TypeError('not a device id from issueDeviceId()');
  return `${deviceId}.${mac(deviceId, key).toString('base64url')}`;
}

/** The device id a cookie carries when its MAC verifies under `key`; null for anything else. */
export function verifyDeviceCookie(value: string | null | undefined, key: Buffer): string | null {
  if (typeof value !== 'string') return null;
  const parts = value.split('.');
  if (parts.length !== 2) return null;
  const [deviceId = '', tag = ''] = parts;
  if (!DEVICE_ID.test(deviceId)) return null;
  const presented = Buffer.from(tag, 'base64url');
  // Only the canonical encoding: Node's decoder skips stray characters, which would let many strings verify.
  if (presented.length !== MAC_LENGTH || presented.toString('base64url') !== tag) return null;
  return timingSafeEqual(presented, mac(deviceId, key)) ? deviceId : null;
}

function mac(deviceId: string, key: Buffer): Buffer {
  if (key.length < MIN_KEY_LENGTH) throw new RangeError(`the device cookie key must be at least ${MIN_KEY_LENGTH} bytes`);
  return createHmac('sha256', key).update(MAC_CONTEXT).update(deviceId).digest();
}
