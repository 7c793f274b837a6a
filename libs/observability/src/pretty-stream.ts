import type { DestinationStream } from 'pino';

/**
 * LOG_FORMAT=pretty: pino's JSON lines rendered for a terminal —
 * `time LEVEL [context] message {fields}`. Ours rather than pino-pretty, which would
 * have to be a production dependency (or a worker-thread transport) for `npm start`.
 */
export function prettyStream(write: (line: string) => void): DestinationStream {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line) write(prettyLine(line));
    },
  };
}

export function prettyLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { time, level, msg, context, err, ...fields } = record;
  const scope = typeof context === 'string' ? ` [${context}]` : '';
  const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  const stack = err && typeof err === 'object' && 'stack' in err ? `\n${String(err.stack)}` : err ? ` ${JSON.stringify(err)}` : '';
  return `${String(time)} ${String(level).toUpperCase().padEnd(5)}${scope} ${typeof msg === 'string' ? msg : ''}${extra}${stack}`;
}
