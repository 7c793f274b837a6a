import type { Client, Tenant } from '@gatehouse/persistence';
import { translatorFor, type Locale } from './i18n/index.js';
import type { FlowOutcome } from './flow-outcome.js';
import {
  createCspNonce,
  displayableUrl,
  imageOrigins,
  renderErrorPage,
  type ErrorKind,
  type ErrorPageInput,
  type PageChrome,
} from './views/index.js';

/** Whose page it is and in which language: the tenant (its branding) and the client, when known. */
export interface PageSubject {
  readonly locale: Locale;
  readonly tenant?: Tenant | null | undefined;
  readonly client?: Client | null | undefined;
}

/** Shown where no tenant is known (an unknown tenant's address). */
const NO_TENANT = 'Gatehouse';

/** A page with its CSP nonce, language and branding: `render` gets the chrome to draw it with. */
export function page(
  subject: PageSubject,
  status: number,
  render: (chrome: PageChrome) => string,
  setCookies: readonly string[] = [],
): FlowOutcome & { kind: 'page' } {
  const nonce = createCspNonce();
  const chrome = chromeOf(subject, nonce);
  return { kind: 'page', status, nonce, html: render(chrome), setCookies, imageOrigins: imageOrigins(chrome) };
}

/**
 * An error page (never a redirect); it links back to the client only when given `returnTo`. The
 * plain-words message comes with a details line for the application's support: the OAuth hint
 * where there is one, else the status and the error's code (`400 sign_in_expired`).
 */
export function errorPage(
  status: number,
  kind: ErrorKind,
  subject: PageSubject,
  extra: Pick<ErrorPageInput, 'message' | 'detail' | 'returnTo'> = {},
): FlowOutcome & { kind: 'page' } {
  const detail = extra.detail ?? `${status} ${errorCodeOf(kind)}`;
  return page(subject, status, (chrome) => renderErrorPage({ chrome, kind, ...extra, detail }));
}

/** `signInExpired` → `sign_in_expired`. */
function errorCodeOf(kind: ErrorKind): string {
  return kind.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * Where a person starts again: the client's registered home page (RFC 7591 `client_uri`),
 * else the origin of the redirect URI this request was validated with.
 */
export function returnToClient(client: Client, redirectUri: string): ErrorPageInput['returnTo'] {
  const home = displayableUrl(client.clientUri);
  if (home !== undefined) return { name: client.name, href: home };
  // A native app's custom-scheme redirect URI is no page to return to.
  const redirect = displayableUrl(redirectUri);
  return redirect === undefined ? undefined : { name: client.name, href: `${new URL(redirect).origin}/` };
}

function chromeOf(subject: PageSubject, nonce: string): PageChrome {
  const { tenant, client } = subject;
  const branding = tenant?.branding ?? {};
  return {
    t: translatorFor(subject.locale),
    nonce,
    brand: {
      name: branding.pageTitle ?? tenant?.name ?? NO_TENANT,
      logoUri: branding.logoUri,
      primaryColor: branding.primaryColor,
      supportUri: branding.supportUri,
    },
    client: client
      ? { name: client.name, logoUri: client.logoUri, clientUri: client.clientUri, policyUri: client.policyUri, tosUri: client.tosUri }
      : undefined,
  };
}
