/**
 * Collects items submitted concurrently (one per queue job) and hands them to `flush` in
 * batches, so a burst of jobs becomes a few multi-row transactions instead of one each.
 * Each submitter learns the outcome of the batch its item was in.
 */
export class MicroBatcher<T> {
  private pending: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly options: { maxItems: number; maxDelayMs: number },
  ) {}

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxItems) this.drain();
      else this.timer ??= setTimeout(() => this.drain(), this.options.maxDelayMs);
    });
  }

  /** Resolves once everything submitted so far has been flushed. */
  async idle(): Promise<void> {
    if (this.pending.length > 0) this.drain();
    await this.flushing;
  }

  private drain(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    // Batches run one after another: a tenant's chain is appended in submission order.
    this.flushing = this.flushing.then(async () => {
      try {
        await this.flush(batch.map((entry) => entry.item));
        batch.forEach((entry) => entry.resolve());
      } catch (error) {
        batch.forEach((entry) => entry.reject(error));
      }
    });
  }
}
