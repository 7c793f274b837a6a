import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { batchCaller, inBatchSpan, type BatchCaller } from '@gatehouse/observability';
import { ConcurrentBatcher } from '@gatehouse/persistence';
import { indexEndingAt, windowOf, type FixedWindowCounter, type WindowCount } from './fixed-window-counter.js';

/** INCR, and the expiry set by the window's first hit: one command, atomic on the server. */
const HIT_SCRIPT = `local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;
/** DECR only a counter that exists and is above zero: a refund never starts a window nor goes negative. */
const REFUND_SCRIPT = `local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;
const SCRIPTS = {
  hit: { source: HIT_SCRIPT, sha: sha1(HIT_SCRIPT) },
  refund: { source: REFUND_SCRIPT, sha: sha1(REFUND_SCRIPT) },
} as const;

function sha1(script: string): string {
  return createHash('sha1').update(script).digest('hex');
}

/**
 * The window's counter in Redis, shared by every instance: one EVALSHA per hit (the token
 * endpoint's hot path pays one command, not MULTI/INCR/EXPIRE/EXEC), falling back to EVAL,
 * which caches the script, when the server does not know it yet (a restart, a failover).
 * The window index is part of the key, so each window starts from zero, and the key never
 * outlives its window by more than a second.
 *
 * Hits and refunds of concurrent requests travel together: while one pipeline is out, the next
 * gathers, and goes as one write with one reply to read. Each is still its own atomic script with
 * its own answer; only the round trip is shared (an idle server sends each at once). Traced, a
 * pipeline is one span, linked to the requests it carries, not a span per command (batch-spans.ts).
 */
export class RedisFixedWindowCounter implements FixedWindowCounter {
  private readonly commands: ConcurrentBatcher<CounterCommand, CommandOutcome>;

  constructor(
    private readonly redis: Redis,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.commands = new ConcurrentBatcher((batch) => this.runAll(batch), { maxBatchSize: 256, maxInFlight: 1 });
  }

  async hit(key: string, windowSeconds: number): Promise<WindowCount> {
    const { index, resetsAt } = windowOf(this.now(), windowSeconds);
    const outcome = await this.commands.run({
      script: 'hit',
      redisKey: redisKeyOf(key, windowSeconds, index),
      args: [windowSeconds + 1],
      caller: batchCaller(),
    });
    if ('error' in outcome) throw outcome.error;
    return { count: Number(outcome.count), resetsAt };
  }

  async refund(key: string, windowSeconds: number, resetsAt: Date): Promise<void> {
    const redisKey = redisKeyOf(key, windowSeconds, indexEndingAt(resetsAt, windowSeconds));
    const outcome = await this.commands.run({ script: 'refund', redisKey, args: [], caller: batchCaller() });
    if ('error' in outcome) throw outcome.error;
  }

  /** One pipeline of EVALSHAs; the commands Redis had no script for go again as EVAL (which caches it). */
  private runAll(batch: readonly CounterCommand[]): Promise<CommandOutcome[]> {
    return inBatchSpan(
      'redis rate-limit pipeline',
      { 'db.system': 'redis', 'db.operation.name': 'EVALSHA' },
      batch.map((command) => command.caller),
      () => this.runScripts(batch),
      (outcomes) => {
        const failed = outcomes.filter((outcome) => 'error' in outcome).length;
        return failed > 0 ? `${failed} of ${outcomes.length} commands failed` : undefined;
      },
    );
  }

  private async runScripts(batch: readonly CounterCommand[]): Promise<CommandOutcome[]> {
    const first = await this.pipelined(batch, (pipeline, { script, redisKey, args }) =>
      pipeline.evalsha(SCRIPTS[script].sha, 1, redisKey, ...args),
    );
    const unknown = batch.filter((_, index) => isNoScript(first[index]));
    if (unknown.length === 0) return first;
    const retried = await this.pipelined(unknown, (pipeline, { script, redisKey, args }) =>
      pipeline.eval(SCRIPTS[script].source, 1, redisKey, ...args),
    );
    let next = 0;
    return first.map((outcome) => (isNoScript(outcome) ? (retried[next++] as CommandOutcome) : outcome));
  }

  private async pipelined(
    commands: readonly CounterCommand[],
    add: (pipeline: ReturnType<Redis['pipeline']>, command: CounterCommand) => void,
  ): Promise<CommandOutcome[]> {
    const pipeline = this.redis.pipeline();
    for (const command of commands) add(pipeline, command);
    const replies = (await pipeline.exec()) ?? [];
    return commands.map((_, index) => {
      const [error, count] = replies[index] ?? [new Error('Redis answered no reply for a rate-limit command'), null];
      return error ? { error } : { count };
    });
  }
}

interface CounterCommand {
  readonly script: keyof typeof SCRIPTS;
  readonly redisKey: string;
  readonly args: readonly number[];
  readonly caller: BatchCaller | undefined;
}

type CommandOutcome = { readonly count: unknown } | { readonly error: Error };

function isNoScript(outcome: CommandOutcome | undefined): boolean {
  return outcome !== undefined && 'error' in outcome && outcome.error.message.startsWith('NOSCRIPT');
}

function redisKeyOf(key: string, windowSeconds: number, index: number): string {
  return `gatehouse:{rate}:${windowSeconds}:${key}:${index}`;
}
