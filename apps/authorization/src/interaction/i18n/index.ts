export { chooseLocale, LOCALES, uiLocalesParam, type Locale } from './locale.js';
export { translatorFor, type Translator } from './translator.js';
export type { MessageKey, Messages } from './messages.en.js';
