/** What an authorize or interaction step answers: a redirect, or a page to render. */
export type FlowOutcome =
  | { readonly kind: 'redirect'; readonly location: string; readonly setCookies: readonly string[] }
  | {
      readonly kind: 'page';
      readonly status: number;
      readonly html: string;
      readonly nonce: string;
      readonly setCookies: readonly string[];
      /** Where the page's logos come from, added to its CSP img-src. */
      readonly imageOrigins?: readonly string[];
      /** RFC 9110 §10.2.3 Retry-After, for a 429 (login throttling). */
      readonly retryAfterSeconds?: number;
    };

export function redirectTo(location: string, setCookies: readonly string[] = []): FlowOutcome {
  return { kind: 'redirect', location, setCookies };
}
