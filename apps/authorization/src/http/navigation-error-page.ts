import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '@gatehouse/persistence';
import { chooseLocale, uiLocalesParam } from '../interaction/i18n/index.js';
import { errorPage } from '../interaction/pages.js';
import type { ErrorKind } from '../interaction/views/index.js';
import { isBrowserNavigation } from './browser-navigation.js';
import { browserRequest } from './browser-request.js';
import { sendFlowOutcome } from './flow-reply.js';

/** Under the tenants' issuers, where people's browsers arrive; the admin API and health keep their JSON. */
const PEOPLE_FACING = /^\/t\/([^/?#]+)(\/|\?|$)/;

export interface NavigationError {
  readonly status: number;
  readonly unknownTenant?: boolean;
  readonly retryAfter?: string | undefined;
}

/**
 * Whether a failed request is a person's browser navigation under /t/{tenant}/, to be answered with
 * the HTML error page (its status kept) instead of JSON. APIs called by programs keep their JSON.
 */
export function wantsNavigationErrorPage(request: FastifyRequest): boolean {
  return PEOPLE_FACING.test(request.url) && isBrowserNavigation(request);
}

/**
 * The HTML error page for a failed navigation, in the tenant's branding (when the tenant exists)
 * and the language of `ui_locales` or the browser. It shows no detail of the error: a parameter's
 * name or value there would let anyone put words on the tenant's page.
 */
export async function sendNavigationErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  error: NavigationError,
  findTenant: (slug: string) => Promise<Tenant | null>,
): Promise<void> {
  const slug = PEOPLE_FACING.exec(request.url)?.[1] ?? '';
  const tenant = error.unknownTenant ? null : await findTenant(decodeURIComponent(slug)).catch(() => null);
  const locale = chooseLocale(uiLocalesParam(request.query), browserRequest(request).acceptLanguage);
  const kind = error.unknownTenant ? 'unknownTenant' : kindOf(error.status);
  if (error.retryAfter !== undefined) void reply.header('retry-after', error.retryAfter);
  void reply.header('vary', 'Accept, Sec-Fetch-Mode');
  sendFlowOutcome(reply, errorPage(error.status, kind, { locale, tenant }));
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
