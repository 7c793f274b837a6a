import type { FastifyReply, FastifyRequest } from 'fastify';
import { chooseLocale } from '../interaction/i18n/index.js';
import { errorPage } from '../interaction/pages.js';
import type { ErrorKind } from '../interaction/views/index.js';
import { isBrowserNavigation } from './browser-navigation.js';
import { browserRequest } from './browser-request.js';
import { sendFlowOutcome } from './flow-reply.js';

/** Under the tenants' issuers, where people's browsers arrive; the admin API and health keep their JSON. */
const PEOPLE_FACING = /^\/t\/[^/?#]+(\/|\?|$)/;

/**
 * Answers a failed browser navigation under /t/{tenant}/ with the HTML error page (its status
 * kept) instead of JSON: a person who opens a wrong or expired link gets words, never a JSON
 * body. Returns false, sending nothing, for API calls.
 */
export function sendNavigationErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  options: { readonly unknownTenant?: boolean; readonly detail?: string | undefined; readonly retryAfter?: string | undefined } = {},
): boolean {
  if (!PEOPLE_FACING.test(request.url) || !isBrowserNavigation(request)) return false;
  const locale = chooseLocale(undefined, browserRequest(request).acceptLanguage);
  const kind = options.unknownTenant ? 'unknownTenant' : kindOf(status);
  if (options.retryAfter !== undefined) void reply.header('retry-after', options.retryAfter);
  sendFlowOutcome(reply, errorPage(status, kind, { locale }, { detail: status < 500 ? options.detail : undefined }));
  return true;
}

function kindOf(status: number): ErrorKind {
  if (status >= 500) return 'serverError';
  const kinds: Readonly<Record<number, ErrorKind>> = {
    401: 'unauthorized',
    403: 'forbidden',
    404: 'notFound',
    405: 'methodNotAllowed',
    429: 'tooManyRequests',
  };
  return kinds[status] ?? 'badRequest';
}
