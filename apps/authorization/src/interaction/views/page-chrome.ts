import type { Translator } from '../i18n/index.js';

/** The tenant's look (its branding, or the default one). */
export interface PageBrand {
  /** The branding's page title, else the tenant's name: what the person signs in to. */
  readonly name: string;
  readonly logoUri?: string | undefined;
  readonly primaryColor?: string | undefined;
  readonly supportUri?: string | undefined;
}

/** The application that asked (RFC 7591 §2 metadata), when it is known and trusted enough to name. */
export interface PageClient {
  readonly name: string;
  readonly logoUri?: string | null | undefined;
  readonly clientUri?: string | null | undefined;
  readonly policyUri?: string | null | undefined;
  readonly tosUri?: string | null | undefined;
}

/** What every page shares: its language, whose page it is, for which client, and the CSP nonce of its <style>. */
export interface PageChrome {
  readonly t: Translator;
  readonly brand: PageBrand;
  readonly client?: PageClient | undefined;
  readonly nonce: string;
}

/** A URL a page may load an image from or link to: http(s) or, for images, an inline data:image. */
export function displayableUrl(value: string | null | undefined, allowData = false): string | undefined {
  if (!value) return undefined;
  if (allowData && /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(value)) return value;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** A link the support line may use: a web page or a mailto: address. */
export function supportUrl(value: string | undefined): string | undefined {
  if (value?.startsWith('mailto:') && !/[\s<>"]/.test(value)) return value;
  return displayableUrl(value);
}

const CSP_SAFE_ORIGIN = /^https?:\/\/(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/**
 * A logo the page may show: a data:image, or an http(s) URL on a plain host, the only kind that may
 * become a CSP source (a value stored before validation with `*` or `;` in its host shows no image).
 */
export function displayableLogo(value: string | null | undefined): string | undefined {
  const url = displayableUrl(value, true);
  if (url === undefined || url.startsWith('data:')) return url;
  return CSP_SAFE_ORIGIN.test(new URL(url).origin) ? url : undefined;
}

/** The origins a page's images come from, for its CSP img-src (data: is always allowed). */
export function imageOrigins(chrome: Pick<PageChrome, 'brand' | 'client'>): string[] {
  const origins = new Set<string>();
  for (const uri of [chrome.brand.logoUri, chrome.client?.logoUri]) {
    const url = displayableLogo(uri);
    if (url && !url.startsWith('data:')) origins.add(new URL(url).origin);
  }
  return [...origins];
}
