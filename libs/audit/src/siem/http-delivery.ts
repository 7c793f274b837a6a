import { DeliveryError } from './delivery-error.js';

/** HTTP statuses worth retrying: timeouts, throttling and server-side trouble. Any other non-2xx is final. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * One POST with a deadline. Redirects are not followed: a sink that moved must be reconfigured,
 * and a redirect must not carry the token or a signed batch somewhere else.
 */
export async function postJson(
  label: string,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : networkReason(error);
    throw new DeliveryError(`${label}: ${reason}`, true, undefined, { cause: error });
  }
  if (response.status >= 200 && response.status < 300) return response;
  // Drained so the connection can be reused, never echoed: the error is shown to tenant admins,
  // and a receiver's body is not theirs to read (nor a way to probe what answers there).
  await response.arrayBuffer().catch(() => undefined);
  throw new DeliveryError(`${label}: HTTP ${response.status}`, isRetryableStatus(response.status), response.status);
}

function networkReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : 'network error');
}
