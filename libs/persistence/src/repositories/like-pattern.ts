/** A user's text matched literally inside LIKE / ILIKE: the wildcards `%` and `_` and the escape `\` lose their meaning. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
