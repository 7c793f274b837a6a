/** What an authorize or interaction step answers: a redirect, or a page to render. */
export type FlowOutcome =
  | { readonly kind: 'redirect'; readonly location: string; readonly setCookies: readonly string[] }
  | {
      readonly kind: 'page';
      readonly status: number;
      readonly html: string;
      readonly nonce: string;
      readonly setCookies: readonly string[];
    };

export function redirectTo(location: string, setCookies: readonly string[] = []): FlowOutcome {
  return { kind: 'redirect', location, setCookies };
}
