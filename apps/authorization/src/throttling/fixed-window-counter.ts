/** One hit counted in the current window: how many so far (this one included), and when the window ends. */
export interface WindowCount {
  readonly count: number;
  readonly resetsAt: Date;
}

/**
 * A fixed-window rate counter: every instance sharing the store sees the same count.
 * Redis when the runtime has it (several instances), in-process otherwise.
 */
export interface FixedWindowCounter {
  hit(key: string, windowSeconds: number): Promise<WindowCount>;
  /** Takes back one hit of the window that ends at `resetsAt` (never below zero; a finished window is left alone). */
  refund(key: string, windowSeconds: number, resetsAt: Date): Promise<void>;
}

/** The window `now` falls in: its index (part of the key) and its end. */
export function windowOf(now: Date, windowSeconds: number): { index: number; resetsAt: Date } {
  const windowMs = windowSeconds * 1000;
  const index = Math.floor(now.getTime() / windowMs);
  return { index, resetsAt: new Date((index + 1) * windowMs) };
}

/** The index of the window that ends at `resetsAt`. */
export function indexEndingAt(resetsAt: Date, windowSeconds: number): number {
  return Math.round(resetsAt.getTime() / (windowSeconds * 1000)) - 1;
}

const DEFAULT_MAX_KEYS = 100_000;

/**
 * Counts in this process: for the embedded single-process mode and tests. Memory is
 * bounded: finished windows are swept, and past `maxKeys` the oldest keys are dropped
 * (forgetting counts is the safe direction for memory, not for limiting, so the bound is generous).
 */
export class InProcessFixedWindowCounter implements FixedWindowCounter {
  private readonly windows = new Map<string, { index: number; count: number }>();

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {}

  hit(key: string, windowSeconds: number): Promise<WindowCount> {
    const { index, resetsAt } = windowOf(this.now(), windowSeconds);
    const mapKey = `${windowSeconds}:${key}`;
    const current = this.windows.get(mapKey);
    const count = current && current.index === index ? current.count + 1 : 1;
    // Re-inserted so the Map's insertion order is least-recently-hit first.
    this.windows.delete(mapKey);
    this.windows.set(mapKey, { index, count });
    if (this.windows.size > this.maxKeys) this.sweep(index);
    return Promise.resolve({ count, resetsAt });
  }

  refund(key: string, windowSeconds: number, resetsAt: Date): Promise<void> {
    const current = this.windows.get(`${windowSeconds}:${key}`);
    if (current && current.index === indexEndingAt(resetsAt, windowSeconds) && current.count > 0) current.count -= 1;
    return Promise.resolve();
  }

  /** How many keys are held (for tests of the memory bound). */
  get size(): number {
    return this.windows.size;
  }

  private sweep(currentIndex: number): void {
    for (const [key, window] of this.windows) if (window.index < currentIndex) this.windows.delete(key);
    for (const key of this.windows.keys()) {
      if (this.windows.size <= this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
