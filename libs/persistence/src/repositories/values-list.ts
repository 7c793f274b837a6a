/**
 * The numbered parameters of one statement, and the VALUES lists built on them: for the batched
 * statements whose rows carry arrays (unnest cannot take an array per row).
 */
export class StatementParameters {
  readonly values: unknown[] = [];

  /** Rows as a VALUES list of typed parameters, numbered after those already added. */
  valuesList(rows: readonly (readonly unknown[])[], types: readonly string[]): string {
    const tuples = rows.map((row) => {
      if (row.length !== types.length) throw new Error(`a row of ${row.length} values for ${types.length} columns`);
      const params = row.map((value, column) => {
        this.values.push(value);
        return `$${this.values.length}::${types[column]}`;
      });
      return `(${params.join(', ')})`;
    });
    return `VALUES ${tuples.join(', ')}`;
  }
}
