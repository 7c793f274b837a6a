/**
 * Runs `turn` again and again: straight away while it reports full batches, after `idleMs`
 * when there was less to do, after `errorMs` when it failed. `wake()` cuts a wait short.
 */
export class PollingLoop {
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  /** Set by wake(): work arrived, so the next wait is skipped even if the wake came during a turn. */
  private woken = false;

  constructor(
    private readonly turn: () => Promise<number>,
    private readonly options: { idleMs: number; errorMs: number; batch: number },
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.current = this.run();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.current;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delay = this.options.idleMs;
      this.woken = false;
      try {
        const done = await this.turn();
        if (done >= this.options.batch) delay = 0;
      } catch (error) {
        this.onError(error);
        delay = this.options.errorMs;
      }
      if (delay > 0 && this.running && !this.woken) {
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
          this.timer = setTimeout(resolve, delay);
        });
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        this.wakeUp = null;
      }
    }
  }
}
