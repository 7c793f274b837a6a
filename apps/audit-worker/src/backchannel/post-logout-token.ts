import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, OutboundTargetRefused, type ResolveHost } from '@gatehouse/protocol';

export type PostOutcome =
  | { readonly kind: 'answered'; readonly status: number }
  | { readonly kind: 'refused' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'failed' };

export interface PostOptions {
  readonly timeoutMs: number;
  readonly allowPrivate: boolean;
  readonly resolve?: ResolveHost;
}

/**
 * POSTs the logout token as a form (Back-Channel Logout 1.0 §2.5). The connection resolves its
 * host through the outbound guard, so it goes to the very address that was checked: a name that
 * points inside is refused before any connection is opened, and a rebinding DNS answer cannot
 * slip in between check and connect. A redirect is an answer, not an instruction: never followed.
 */
export function postLogoutToken(uri: string, token: string, options: PostOptions): Promise<PostOutcome> {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return Promise.resolve({ kind: 'failed' });
  }
  const body = new URLSearchParams({ logout_token: token }).toString();
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
        lookup: guardedLookup({ allowPrivate: options.allowPrivate, ...(options.resolve ? { resolve: options.resolve } : {}) }),
        timeout: options.timeoutMs,
      },
      (response: IncomingMessage) => {
        // Only the status matters; the body is never read, logged or stored.
        response.resume();
        resolve({ kind: 'answered', status: response.statusCode ?? 0 });
      },
    );
    const timer = setTimeout(() => req.destroy(new TimeoutError()), options.timeoutMs);
    req.on('timeout', () => req.destroy(new TimeoutError()));
    req.on('error', (error) => {
      if (error instanceof OutboundTargetRefused && error.reason === 'private') resolve({ kind: 'refused' });
      else if (error instanceof TimeoutError) resolve({ kind: 'timeout' });
      else resolve({ kind: 'failed' });
    });
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}
