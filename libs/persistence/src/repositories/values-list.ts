/**
 * Rows as a SQL VALUES list of typed, numbered parameters (from `offset + 1`), for the batched
 * statements whose rows carry arrays (unnest cannot take an array per row).
 */
export function valuesList(
  rows: readonly (readonly unknown[])[],
  types: readonly string[],
  offset: number,
): { readonly sql: string; readonly values: unknown[] } {
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    if (row.length !== types.length) throw new Error(`a row of ${row.length} values for ${types.length} columns`);
    const params = row.map((value, column) => {
      values.push(value);
      return `$${offset + values.length}::${types[column]}`;
    });
    return `(${params.join(', ')})`;
  });
  return { sql: `VALUES ${tuples.join(', ')}`, values };
}
