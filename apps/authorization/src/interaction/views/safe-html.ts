const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // Old IE treated a backtick as an attribute delimiter; escaping it costs nothing.
  '`': '&#96;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (char) => ENTITIES[char] ?? char);
}

/** Markup known to be safe: the literal parts of a `markup` template plus escaped values. */
export class SafeHtml {
  constructor(private readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

export type HtmlValue = string | SafeHtml | readonly SafeHtml[];

export const EMPTY_HTML = new SafeHtml('');

/**
 * Tagged template that escapes every interpolated string, so no value can be forgotten;
 * only nested `markup` fragments pass through as they are. Not named `html`: Prettier
 * would reformat templates with that tag and change the bytes the tests assert on.
 */
export function markup(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(text);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (typeof value === 'string') return escapeHtml(value);
  return value.map((fragment) => fragment.toString()).join('');
}
