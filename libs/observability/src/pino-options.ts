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
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return redact(error);
  return { type: error.name, message: scrub(error.message), ...(error.stack ? { stack: scrub(error.stack) } : {}) };
}

export function pinoOptions(level: LogLevel): PinoOptions {
  return {
    level,
    base: null,
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    serializers: { err: serializeError },
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
