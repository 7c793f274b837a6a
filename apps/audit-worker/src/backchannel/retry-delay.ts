/** The longest wait between two delivery attempts. */
const MAX_DELAY_MS = 300_000;

/**
 * Exponential backoff with jitter: 2^attempts seconds, at most five minutes, ±20% so that
 * notices for many sessions at one unreachable client do not retry in lockstep.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(2 ** attempts * 1000, MAX_DELAY_MS);
  return Math.round(base * (0.8 + 0.4 * random()));
}
