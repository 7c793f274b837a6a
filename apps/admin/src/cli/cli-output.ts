/** With --json a command prints exactly one JSON object on stdout; otherwise readable text. */
export interface CliOutput {
  readonly json: boolean;
  result(value: Record<string, unknown>, text: string): void;
  notice(text: string): void;
}

export function createOutput(json: boolean): CliOutput {
  return {
    json,
    result(value, text) {
      process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
    },
    notice(text) {
      process.stderr.write(`${text}\n`);
    },
  };
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
