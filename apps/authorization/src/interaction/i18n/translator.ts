import type { Locale } from './locale.js';
import { DE } from './messages.de.js';
import { EN, type MessageKey, type Messages } from './messages.en.js';
import { FR } from './messages.fr.js';

const CATALOGUES: Readonly<Record<Locale, Messages>> = { en: EN, de: DE, fr: FR };

/** The strings of one language, with `{name}` placeholders filled. Plain text: the views escape it. */
export interface Translator {
  readonly locale: Locale;
  text(key: MessageKey, values?: Readonly<Record<string, string>>): string;
}

export function translatorFor(locale: Locale): Translator {
  const messages = CATALOGUES[locale];
  return {
    locale,
    text: (key, values = {}) => messages[key].replace(/\{(\w+)\}/g, (placeholder, name: string) => values[name] ?? placeholder),
  };
}
