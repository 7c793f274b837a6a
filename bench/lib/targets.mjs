// The three targets every load scenario compares, started one after another, in the order of round 1.
import { startLimit, startPeer } from './baselines.mjs';
import { startGatehouse } from './gatehouse.mjs';

export const allTargets = (ctx) => [() => startLimit(ctx), () => startPeer(ctx), () => startGatehouse(ctx)];

/** One request with fetch before any load: a benchmark must measure successes, not errors. */
export async function sample(url, init, check = () => true) {
  const response = await fetch(url, init);
  const text = await response.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  if (response.status !== 200 || !check(body))
    throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return body;
}
