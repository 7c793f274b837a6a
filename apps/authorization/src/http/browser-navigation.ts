import type { FastifyRequest } from 'fastify';

/**
 * A person's browser opening the address (typing it, following a link, submitting a form),
 * not a program calling an API: Fetch Metadata's `Sec-Fetch-Mode: navigate` where the browser
 * sends it; without Fetch Metadata (older browsers, curl), an Accept header that asks for HTML.
 * A page's own fetch() sends another mode and keeps getting JSON.
 */
export function isBrowserNavigation(request: FastifyRequest): boolean {
  const mode = request.headers['sec-fetch-mode'];
  if (mode !== undefined) return mode === 'navigate';
  const accept = request.headers.accept;
  return typeof accept === 'string' && /(^|,)\s*text\/html\s*(;|,|$)/i.test(accept);
}
