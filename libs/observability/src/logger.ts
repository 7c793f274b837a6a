import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import type { LogLevel } from '@gatehouse/config';
import { pinoOptions } from './pino-options.js';
import { prettyStream } from './pretty-stream.js';
import { redact } from './redact.js';

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly format: 'json' | 'pretty';
  /** A sink for whole lines (tests capture output with it); stderr by default. */
  readonly write?: (line: string) => void;
}

/**
 * The one logger of every app: pino underneath (redact paths, serializers, our
 * string scrubbing), behind the small API the code base already speaks, and Nest's
 * LoggerService so framework messages go through the same path.
 */
export class GatehouseLogger implements LoggerService {
  /** The pino instance, for the request lines (request-log.ts). */
  readonly pino: Pino;

  constructor(options: LoggerOptions, parent?: Pino) {
    this.pino = parent ?? pino(pinoOptions(options.level), destination(options));
  }

  child(bindings: Record<string, unknown>): GatehouseLogger {
    return new GatehouseLogger({ level: this.pino.level as LogLevel, format: 'json' }, this.pino.child(bindings));
  }

  /** Nest calls this with a context name for framework chatter (routes mapped, modules loaded): debug. */
  log(message: unknown, ...context: unknown[]): void {
    this.emit(typeof context[0] === 'string' ? 'debug' : 'info', message, context);
  }
  info(message: unknown, fields?: Record<string, unknown>): void {
    this.emit('info', message, fields ? [fields] : []);
  }
  error(message: unknown, ...context: unknown[]): void {
    this.emit('error', message, context);
  }
  warn(message: unknown, ...context: unknown[]): void {
    this.emit('warn', message, context);
  }
  debug(message: unknown, ...context: unknown[]): void {
    this.emit('debug', message, context);
  }
  verbose(message: unknown, ...context: unknown[]): void {
    this.emit('trace', message, context);
  }
  fatal(message: unknown, ...context: unknown[]): void {
    this.emit('fatal', message, context);
  }

  private emit(level: LogLevel, message: unknown, context: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    for (const item of context) {
      if (typeof item === 'string') fields['context'] = item;
      else if (item instanceof Error) fields['err'] = item;
      else if (item && typeof item === 'object') Object.assign(fields, item);
    }
    if (message instanceof Error) {
      fields['err'] ??= message;
      this.pino[level](fields, message.message);
    } else {
      this.pino[level](fields, typeof message === 'string' ? message : JSON.stringify(redact(message)));
    }
  }
}

function destination(options: LoggerOptions): DestinationStream {
  if (options.format === 'pretty') return prettyStream(options.write ?? ((line) => process.stderr.write(`${line}\n`)));
  // Synchronous, so the fatal line before process.exit(1) is not lost.
  if (!options.write) return pino.destination({ dest: 2, sync: true });
  const write = options.write;
  // pino hands whole lines, newline included; a `write` sink takes them without.
  return { write: (chunk: string) => write(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk) };
}
