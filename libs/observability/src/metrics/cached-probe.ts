/**
 * A reading for gauges that need the database or Redis: taken at scrape time, at most once per
 * `ttlMs`, and given up after `timeoutMs` (the last reading stays), so a scrape never hammers
 * the database nor hangs on it.
 */
export class CachedProbe<T> {
  private last: T | undefined;
  private takenAt = -Infinity;
  private pending: Promise<T | undefined> | null = null;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly ttlMs = 5000,
    private readonly timeoutMs = 1000,
  ) {}

  async value(): Promise<T | undefined> {
    if (performance.now() - this.takenAt < this.ttlMs) return this.last;
    this.pending ??= this.refresh().finally(() => (this.pending = null));
    return this.pending;
  }

  private async refresh(): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.timeoutMs)));
    try {
      const reading = await Promise.race([this.read(), timeout]);
      if (reading !== 'timeout') this.last = reading;
    } catch {
      // A failed reading keeps the last one; health reports the failing dependency.
    } finally {
      clearTimeout(timer);
      this.takenAt = performance.now();
    }
    return this.last;
  }
}
