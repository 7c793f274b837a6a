/** `redirectUris` -> `redirect_uris`: the tables name their columns after the domain fields in snake case. */
export function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * The defined members of `values` as columns and parameters, numbered from `offset + 1`:
 * arrays are copied (the caller's stay untouched), the `json` fields serialized for jsonb.
 */
export function columnValues(
  values: object,
  offset: number,
  json: ReadonlySet<string>,
): { readonly columns: string[]; readonly placeholders: string[]; readonly params: unknown[] } {
  const columns: string[] = [];
  const placeholders: string[] = [];
  const params: unknown[] = [];
  for (const [field, value] of Object.entries(values)) {
    if (value === undefined) continue;
    columns.push(columnOf(field));
    params.push(json.has(field) && value !== null ? JSON.stringify(value) : Array.isArray(value) ? [...(value as unknown[])] : value);
    placeholders.push(`$${offset + params.length}`);
  }
  return { columns, placeholders, params };
}

/** `column = $n, …` for an UPDATE's SET, from the defined members of `values`. */
export function assignmentsOf(
  values: object,
  offset: number,
  json: ReadonlySet<string>,
): { readonly sql: string[]; readonly params: unknown[] } {
  const { columns, placeholders, params } = columnValues(values, offset, json);
  return { sql: columns.map((column, index) => `${column} = ${placeholders[index]}`), params };
}

/**
 * A WHERE clause built condition by condition, each value a parameter numbered after those already
 * in `params` (a list page's filters: only the ones the caller set become conditions).
 */
export class SqlConditions {
  private readonly conditions: string[];

  constructor(
    readonly params: unknown[],
    first: string,
  ) {
    this.conditions = [first];
  }

  /** `condition` gets the value's placeholder (`$n`). */
  add(condition: (param: string) => string, value: unknown): void {
    this.conditions.push(condition(this.param(value)));
  }

  /** A value's placeholder, for a parameter used after the conditions (LIMIT). */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  get sql(): string {
    return this.conditions.join(' AND ');
  }
}
