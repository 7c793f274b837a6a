/** RFC 6750 §2.1: `Authorization: Bearer <b64token>`; null when the header is absent or not of that form. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

export function bearerTokenOf(authorization: string | undefined): string | null {
  return authorization?.match(BEARER)?.[1] ?? null;
}
