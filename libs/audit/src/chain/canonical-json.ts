/**
 * Canonical JSON for hashing (in the spirit of RFC 8785 JCS): object keys sorted by
 * code unit, no whitespace, dates as ISO 8601 strings, undefined members dropped.
 * The same value always serialises to the same bytes, whatever order it was built in
 * or however PostgreSQL's jsonb returned it.
 */
export function canonicalJson(value: unknown): string {
  return canonicalOf(value, NONE);
}

/** The same, leaving out the named members of the top-level object (a record's hashes, say). */
export function canonicalJsonWithout(value: object, omitted: ReadonlySet<string>): string {
  return canonicalOf(value, omitted);
}

const NONE: ReadonlySet<string> = new Set();

// Written as loops over sorted keys: the audit worker hashes every record (issue 12), and the
// entries/filter/sort/map/join form cost several times as much. Output is byte-for-byte the same.
function canonicalOf(value: unknown, omitted: ReadonlySet<string>): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no representation for a non-finite number');
      return JSON.stringify(value);
    case 'object': {
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      if (Array.isArray(value)) {
        let out = '[';
        for (let index = 0; index < value.length; index++) {
          if (index > 0) out += ',';
          const item: unknown = value[index];
          // A hole of a sparse array writes nothing, as Array.prototype.join did (no JSON holds one).
          if (item !== undefined || index in value) out += canonicalOf(item, NONE);
        }
        return `${out}]`;
      }
      const object = value as Record<string, unknown>;
      // The default sort compares UTF-16 code units, as JCS orders keys.
      const keys = Object.keys(object).sort();
      let out = '{';
      for (const key of keys) {
        const member = object[key];
        if (member === undefined || omitted.has(key)) continue;
        if (out.length > 1) out += ',';
        out += `${JSON.stringify(key)}:${canonicalOf(member, NONE)}`;
      }
      return `${out}}`;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      throw new TypeError(`canonical JSON cannot represent a ${typeof value}`);
  }
  throw new TypeError('canonical JSON: unreachable');
}
