import { translatorFor, type Locale } from '../i18n/index.js';
import type { PageBrand, PageChrome, PageClient } from './page-chrome.js';

export const TEST_NONCE = 'q0JZyF3m8lM5n2xYp7Vb1A==';

/** A page's chrome for view tests: English, the tenant "Acme", no client unless given. */
export function testChrome(options: { locale?: Locale; brand?: Partial<PageBrand>; client?: PageClient } = {}): PageChrome {
  return {
    t: translatorFor(options.locale ?? 'en'),
    nonce: TEST_NONCE,
    brand: { name: 'Acme', ...options.brand },
    client: options.client,
  };
}
