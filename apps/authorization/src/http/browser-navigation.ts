import type { FastifyRequest } from 'fastify';

/** The back-channel APIs: programs call them, so only a browser that says it navigates gets HTML there. */
const API_PATH = /^\/t\/[^/?#]+\/(token|introspect|revoke|register|userinfo|jwks|\.well-known)(\/|\?|$)/;

/**
 * A person's browser opening the address (typing it, following a link), not a program calling
 * an API. Browsers say so with Fetch Metadata (`Sec-Fetch-Mode: navigate`); a page's own
 * fetch() sends another mode. Without Fetch Metadata (older browsers, curl) a GET counts when
 * its Accept ranks HTML above JSON — but never at an API path, where HTTP libraries' default
 * Accept headers (Java's lists text/html first) must keep their JSON errors.
 */
export function isBrowserNavigation(request: FastifyRequest): boolean {
  const read = request.method === 'GET' || request.method === 'HEAD';
  const api = API_PATH.test(request.url);
  const mode = request.headers['sec-fetch-mode'];
  // A form a page posts to an API (the token endpoint) is still answered as the API answers.
  if (mode !== undefined) return mode === 'navigate' && (read || !api);
  if (!read || api) return false;
  const accept = request.headers.accept;
  return typeof accept === 'string' && prefersHtml(accept);
}

/** RFC 9110 §12.5.1: text/html with a q above 0, and above application/json's. */
function prefersHtml(accept: string): boolean {
  let html = 0;
  let json = 0;
  for (const range of accept.slice(0, 1024).split(',')) {
    const [type = '', ...params] = range.trim().toLowerCase().split(';');
    const q = qualityOf(params);
    if (type.trim() === 'text/html') html = Math.max(html, q);
    if (type.trim() === 'application/json') json = Math.max(json, q);
  }
  return html > 0 && html > json;
}

function qualityOf(params: readonly string[]): number {
  for (const param of params) {
    const match = /^\s*q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*$/.exec(param);
    if (match) return Number(match[1]);
  }
  return 1;
}
