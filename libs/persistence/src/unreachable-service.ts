/**
 * A start-up failure to reach PostgreSQL or Redis, named by the variable that points at it, with
 * the address but never the credentials in the URL (they would end up in a log).
 */
export class UnreachableService extends Error {
  override readonly name = 'UnreachableService';

  constructor(variable: 'DATABASE_URL' | 'REDIS_URL', url: string, cause: unknown) {
    const service = variable === 'DATABASE_URL' ? 'PostgreSQL' : 'Redis';
    super(`${variable}: cannot connect to ${service} at ${addressOf(url)} (${reasonOf(cause)}); is it running, and is ${variable} right?`, {
      cause,
    });
  }
}

/** host:port and the database path of a URL, without user or password. */
export function addressOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'an unparsable URL';
  }
}

function reasonOf(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  const message = cause instanceof Error ? cause.message : String(cause);
  // A driver's message can quote the URL: keep its first line, with anything like user:pass@ removed.
  return (message.split('\n')[0] ?? '').replace(/\/\/[^@/\s]*@/g, '//').slice(0, 200);
}
