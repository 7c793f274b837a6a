import type { FastifyRequest } from 'fastify';

/** What a page step reads from the browser besides the form: its cookies and its languages. */
export interface BrowserRequest {
  readonly cookieHeader: string | undefined;
  readonly acceptLanguage: string | undefined;
}

export function browserRequest(request: FastifyRequest): BrowserRequest {
  const acceptLanguage = request.headers['accept-language'];
  return { cookieHeader: request.headers.cookie, acceptLanguage: typeof acceptLanguage === 'string' ? acceptLanguage : undefined };
}
