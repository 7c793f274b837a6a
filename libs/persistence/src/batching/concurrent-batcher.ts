export interface ConcurrentBatcherOptions<I> {
  /** A batch's size at most, counted by `sizeOf` (an input is never split). */
  readonly maxBatchSize?: number;
  /** Batches executing at once at most (default 1); callers arriving meanwhile gather into the next batch. */
  readonly maxInFlight?: number;
  readonly sizeOf?: (input: I) => number;
}

interface Waiter<I, O> {
  readonly input: I;
  readonly resolve: (output: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Lets concurrent callers share one database round trip: each `run` awaits the result of
 * the batch that carried its input. With nothing in flight an input executes at once (no
 * timer, no added latency when idle); under load, the callers that arrive while batches
 * execute are gathered into the next one. A failed batch fails each of its callers.
 */
export class ConcurrentBatcher<I, O> {
  private readonly maxBatchSize: number;
  private readonly maxInFlight: number;
  private readonly sizeOf: (input: I) => number;
  private waiting: Waiter<I, O>[] = [];
  private inFlight = 0;

  /** `execute` answers one output per input, in order. */
  constructor(
    private readonly execute: (inputs: readonly I[]) => Promise<readonly O[]>,
    options: ConcurrentBatcherOptions<I> = {},
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.maxInFlight = options.maxInFlight ?? 1;
    this.sizeOf = options.sizeOf ?? (() => 1);
  }

  run(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.startBatches();
    });
  }

  /** Callers waiting for a batch to start (for tests and metrics). */
  get waitingCount(): number {
    return this.waiting.length;
  }

  private startBatches(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.takeBatch();
      this.inFlight += 1;
      void Promise.resolve()
        .then(() => this.execute(batch.map((waiter) => waiter.input)))
        .then((outputs) => {
          if (outputs.length !== batch.length) throw new Error(`a batch of ${batch.length} answered ${outputs.length} results`);
          batch.forEach((waiter, index) => waiter.resolve(outputs[index] as O));
        })
        .catch((error: unknown) => batch.forEach((waiter) => waiter.reject(error)))
        .finally(() => {
          this.inFlight -= 1;
          this.startBatches();
        });
    }
  }

  private takeBatch(): Waiter<I, O>[] {
    let size = 0;
    let count = 0;
    for (const waiter of this.waiting) {
      const next = this.sizeOf(waiter.input);
      if (count > 0 && size + next > this.maxBatchSize) break;
      size += next;
      count += 1;
    }
    return this.waiting.splice(0, count);
  }
}
