import { PinoLogger } from 'nestjs-pino';

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

// nestjs-pino reaches the request's logger only through a PinoLogger; this one is never
// used to log, only to read the request id of the request being handled, if any.
let scope: PinoLogger | undefined;

/** The id of the request being handled, for lines logged while handling it. */
export function currentRequestId(): unknown {
  scope ??= new PinoLogger({ useExisting: true });
  return scope.logger.bindings()['reqId'];
}
