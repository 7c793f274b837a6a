/** One field-level problem, named by its RFC 7591 metadata name. */
export interface ClientMetadataProblem {
  readonly field: string;
  readonly message: string;
}

const MAX_ARRAY_LENGTH = 100;

/**
 * Reads RFC 7591 members of a JSON object with their JSON types checked, collecting a
 * problem per malformed member instead of stopping at the first. Null reads as absent.
 */
export class MetadataFields {
  readonly problems: ClientMetadataProblem[] = [];

  constructor(private readonly input: Readonly<Record<string, unknown>>) {}

  has(field: string): boolean {
    return this.input[field] !== undefined && this.input[field] !== null;
  }

  raw(field: string): unknown {
    return this.has(field) ? this.input[field] : undefined;
  }

  string(field: string): string | undefined {
    const value = this.raw(field);
    if (value === undefined || typeof value === 'string') return value;
    this.problem(field, `${field} must be a string`);
    return undefined;
  }

  /** A JSON array of strings, duplicates removed. */
  strings(field: string): string[] | undefined {
    const value = this.raw(field);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string') || value.length > MAX_ARRAY_LENGTH) {
      this.problem(field, `${field} must be an array of at most ${MAX_ARRAY_LENGTH} strings`);
      return undefined;
    }
    return [...new Set(value as string[])];
  }

  boolean(field: string): boolean | undefined {
    const value = this.raw(field);
    if (value === undefined || typeof value === 'boolean') return value;
    this.problem(field, `${field} must be a boolean`);
    return undefined;
  }

  problem(field: string, message: string): void {
    this.problems.push({ field, message });
  }
}
