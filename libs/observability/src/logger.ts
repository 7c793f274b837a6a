import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '@gatehouse/config';
import { redact } from './redact.js';

const SEVERITY: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly format: 'json' | 'pretty';
  readonly write?: (line: string) => void;
}

/**
 * Structured logger (one JSON object per line, or a readable line for a terminal)
 * with redaction of anything that looks like a secret. Implements Nest's
 * LoggerService so framework messages go through the same path.
 */
export class GatehouseLogger implements LoggerService {
  private readonly threshold: number;
  private readonly write: (line: string) => void;

  constructor(
    private readonly options: LoggerOptions,
    private readonly bindings: Readonly<Record<string, unknown>> = {},
  ) {
    this.threshold = SEVERITY[options.level];
    this.write = options.write ?? ((line) => process.stderr.write(`${line}\n`));
  }

  child(bindings: Record<string, unknown>): GatehouseLogger {
    return new GatehouseLogger(this.options, { ...this.bindings, ...bindings });
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
    if (SEVERITY[level] < this.threshold) return;
    const fields: Record<string, unknown> = { ...this.bindings };
    for (const item of context) {
      if (typeof item === 'string') fields['context'] = item;
      else if (item instanceof Error) fields['err'] = { name: item.name, message: item.message, stack: item.stack };
      else if (item && typeof item === 'object') Object.assign(fields, redact(item));
    }
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(redact(message));
    if (this.options.format === 'json') {
      this.write(JSON.stringify({ time: new Date().toISOString(), level, msg: text, ...fields }));
      return;
    }
    const scope = typeof fields['context'] === 'string' ? ` [${fields['context']}]` : '';
    delete fields['context'];
    const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    this.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)}${scope} ${text}${extra}`);
  }
}
