import { pino, type LoggerOptions as PinoOptions } from 'pino';
import type { LogLevel } from '@gatehouse/config';
import { REDACTED, redact } from './redact.js';
import { scrub } from './scrub.js';

/**
 * Header paths pino censors at serialization time, for headers logged as objects
 * (our own request serializer logs none; a caller dumping headers must not leak them).
 */
const REDACTED_PATHS = ['authorization', 'cookie', 'set-cookie', 'dpop', 'proxy-authorization'].flatMap((name) => [
  `headers["${name}"]`,
  `*.headers["${name}"]`,
]);

/** Error messages and stacks can quote a request ("invalid code=…"): scrubbed like any text. */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return redact(error);
  const cause = error.cause ?? (error as { internalCause?: unknown }).internalCause;
  return {
    type: error.name,
    message: scrub(error.message),
    ...(error.stack ? { stack: scrub(error.stack) } : {}),
    // The real reason a protocol error keeps for the log only (OAuthError.internalCause).
    ...(cause !== undefined && depth < 3 ? { cause: serializeError(cause, depth + 1) } : {}),
  };
}

export function pinoOptions(level: LogLevel): PinoOptions {
  return {
    level,
    base: null,
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    serializers: { err: (error: unknown) => serializeError(error) },
    formatters: {
      level: (label) => ({ level: label }),
      log: (fields) => redact(fields) as Record<string, unknown>,
    },
    hooks: {
      // The message string itself: pino's redact only knows paths in objects.
      logMethod(args, method) {
        const last = args.length - 1;
        if (typeof args[last] === 'string') args[last] = scrub(args[last]);
        method.apply(this, args);
      },
    },
  };
}
