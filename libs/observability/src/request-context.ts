import type { PinoLogger } from 'nestjs-pino';

/**
 * Adds the authenticated client to the current request's log line (nestjs-pino keeps the
 * request's logger in async context). Outside a request — a unit test — there is no line.
 */
export function bindClientId(requestLog: PinoLogger, clientId: string): void {
  try {
    requestLog.assign({ clientId });
  } catch {
    // PinoLogger.assign throws out of request scope: nothing to annotate.
  }
}
