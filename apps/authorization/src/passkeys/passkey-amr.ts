import { passkeyMethod } from '@gatehouse/tokens';

/**
 * RFC 8176 §2 method references of a passkey sign-in. `hwk` when the key cannot leave one device
 * (WebAuthn `singleDevice`), `swk` when it is synced (`multiDevice`). After the password it is the
 * second factor (`mfa`). Alone it needs user verification (a PIN or biometric checked by the
 * authenticator, W3C WebAuthn §6.2.3): possession plus that check is two factors, and RFC 8176 has
 * no value for "verified, method unknown", so `user` stands beside it.
 */
export function amrForPasskey(deviceType: 'singleDevice' | 'multiDevice', after: 'password' | 'nothing'): string[] {
  const key = passkeyMethod(deviceType);
  return after === 'password' ? ['pwd', key, 'mfa'] : [key, 'user', 'mfa'];
}
