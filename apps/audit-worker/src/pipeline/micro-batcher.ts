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
    private readonly options: {
      maxItems: number;
      maxDelayMs: number;
      /** A failed batch of several is flushed again one item at a time, so one bad item fails alone. */
      isolateFailures?: boolean;
    },
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
        if (this.options.isolateFailures && batch.length > 1) await this.flushOneByOne(batch);
        else batch.forEach((entry) => entry.reject(error));
      } finally {
        this.flushing = null;
        // What gathered meanwhile goes next, at once (up to maxItems; the rest follows).
        this.drain();
      }
    })();
  }

  /**
   * When the first two items fail on their own as well, the fault is not an item's (the store is down):
   * the rest are refused without a flush each, which could take the store's timeout a thousand times.
   */
  private async flushOneByOne(batch: readonly { item: T; resolve: () => void; reject: (error: unknown) => void }[]): Promise<void> {
    let succeeded = 0;
    let failed = 0;
    for (const [index, entry] of batch.entries()) {
      try {
        await this.flush([entry.item]);
        entry.resolve();
        succeeded += 1;
      } catch (error) {
        entry.reject(error);
        failed += 1;
        if (succeeded === 0 && failed === 2) {
          batch.slice(index + 1).forEach((rest) => rest.reject(error));
          return;
        }
      }
    }
  }
}
