/** RFC 6750 §2.1: `Authorization: Bearer <b64token>`; null when the header is absent or not of that form. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

export function bearerTokenOf(authorization: string | undefined): string | null {
  return authorization?.match(BEARER)?.[1] ?? null;
}

/** RFC 9449 §7.1: `Authorization: DPoP <token68>`; the scheme name is case-insensitive. */
const DPOP = /^DPoP ([A-Za-z0-9\-._~+/]+=*)$/i;

export function dpopTokenOf(authorization: string | undefined): string | null {
  return authorization?.match(DPOP)?.[1] ?? null;
}
