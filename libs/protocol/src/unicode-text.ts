const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Whether a string holds a UTF-16 surrogate without its pair (JSON's "\ud800"). Such a string has no
 * UTF-8 form: PostgreSQL's jsonb refuses its escape, so it is bad input, never something to store.
 */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}
