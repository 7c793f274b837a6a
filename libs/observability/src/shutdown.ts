const finalSteps: (() => Promise<void>)[] = [];

/**
 * A step run after the app has closed, before the process exits (the spans still batched are
 * flushed this way: docs/adr/0013). Bounded: a stuck step does not hold the exit.
 */
export function beforeExit(step: () => Promise<void>): void {
  finalSteps.push(step);
}

const FINAL_STEPS_TIMEOUT_MS = 5000;

async function runFinalSteps(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, FINAL_STEPS_TIMEOUT_MS)));
  await Promise.race([Promise.allSettled(finalSteps.map((step) => step())), timeout]);
  clearTimeout(timer);
}

/** Runs `close` once on SIGINT/SIGTERM, then the final steps, then exits; a second signal exits at once. */
export function onShutdown(close: () => Promise<void>, log: (message: string) => void): void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    log(`${signal} received, shutting down`);
    void close()
      .then(
        () => 0,
        () => 1,
      )
      .then(async (code) => {
        await runFinalSteps();
        process.exit(code);
      });
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
