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
  const { time, level, msg, context, err, req, res, responseTime, ...fields } = record;
  const scope = typeof context === 'string' ? ` [${context}]` : '';
  // A request line reads as one: `POST /t/acme/token 200 12ms`.
  const text =
    isRecord(req) && isRecord(res)
      ? `${String(req['method'])} ${String(req['url'])} ${String(res['statusCode'])} ${String(responseTime)}ms`
      : typeof msg === 'string'
        ? msg
        : '';
  const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  const stack =
    isRecord(err) && typeof err['stack'] === 'string' ? `\n${err['stack']}${causeOf(err)}` : err ? ` ${JSON.stringify(err)}` : '';
  return `${String(time)} ${String(level).toUpperCase().padEnd(5)}${scope} ${text}${extra}${stack}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function causeOf(err: Record<string, unknown>): string {
  return err['cause'] === undefined ? '' : `\ncause: ${JSON.stringify(err['cause'])}`;
}
