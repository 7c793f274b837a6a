/** A flush that failed for some of its items only: those are rejected with `cause`, the others resolved. */
export class PartialFlushFailure<T> extends Error {
  constructor(
    readonly failed: ReadonlySet<T>,
    cause: unknown,
  ) {
    super(`${failed.size} item(s) of the batch failed`, { cause });
  }
}

/**
 * Collects items submitted concurrently (one per queue job) and hands them to `flush` in
 * batches, so a burst of jobs becomes a few multi-row transactions instead of one each.
 * Each submitter learns the outcome of the batch its item was in.
 *
 * Pipelined: while one batch is being flushed (enriched, scored, committed) the next one
 * gathers, and is handed over the moment the flush ends. One flush at a time, so a tenant's
 * chain is appended in submission order.
 */
export class MicroBatcher<T> {
  private pending: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly options: { maxItems: number; maxDelayMs: number },
  ) {}

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      // A flush in progress takes what gathered when it ends: no timer needed.
      if (this.flushing) return;
      if (this.pending.length >= this.options.maxItems) this.drain();
      else this.timer ??= setTimeout(() => this.drain(), this.options.maxDelayMs);
    });
  }

  /** Resolves once everything submitted so far has been flushed. */
  async idle(): Promise<void> {
    while (this.flushing || this.pending.length > 0) {
      if (!this.flushing) this.drain();
      await this.flushing;
    }
  }

  private drain(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.flushing || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.options.maxItems);
    this.flushing = (async () => {
      try {
        await this.flush(batch.map((entry) => entry.item));
        batch.forEach((entry) => entry.resolve());
      } catch (error) {
        if (error instanceof PartialFlushFailure) {
          const { failed } = error as PartialFlushFailure<T>;
          batch.forEach((entry) => (failed.has(entry.item) ? entry.reject(error.cause) : entry.resolve()));
        } else batch.forEach((entry) => entry.reject(error));
      } finally {
        this.flushing = null;
        // What gathered meanwhile goes next, at once (up to maxItems; the rest follows).
        this.drain();
      }
    })();
  }
}
