/**
 * The WebAuthn relying party this deployment is (W3C WebAuthn §5.1.1): the origin the pages are
 * served from and its host name as the RP ID. Both come from PUBLIC_URL, never from a request.
 */
export interface RelyingParty {
  readonly origin: string;
  readonly rpId: string;
  /** Shown by the authenticator next to the account (the tenant's brand). */
  readonly name: string;
}

export function relyingPartyFor(publicUrl: string, name: string): RelyingParty {
  const url = new URL(publicUrl);
  return { origin: url.origin, rpId: url.hostname, name };
}

/** RFC 8176 §2: `hwk` for a key bound to one device (it cannot leave the hardware), `swk` for a synced one. */
export function passkeyMethod(deviceType: 'singleDevice' | 'multiDevice'): 'hwk' | 'swk' {
  return deviceType === 'singleDevice' ? 'hwk' : 'swk';
}
