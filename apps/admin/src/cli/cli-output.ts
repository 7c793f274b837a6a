/** With --json a command prints exactly one JSON object on stdout; otherwise readable text. */
export interface CliOutput {
  readonly json: boolean;
  result(value: Record<string, unknown>, text: string): void;
  notice(text: string): void;
}

/** Where the CLI writes and what it reads: the process's own streams, or a caller's (tests run it in-process). */
export interface CliStreams {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}

export const PROCESS_STREAMS: CliStreams = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  async readStdin() {
    if (process.stdin.isTTY) process.stderr.write('Password: ');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

export function createOutput(json: boolean, streams: CliStreams = PROCESS_STREAMS): CliOutput {
  return {
    json,
    result(value, text) {
      streams.stdout(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
    },
    notice(text) {
      streams.stderr(`${text}\n`);
    },
  };
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
