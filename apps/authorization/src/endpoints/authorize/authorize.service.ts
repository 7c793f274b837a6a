import { Inject, Injectable } from '@nestjs/common';
import type { RequestContext } from '@gatehouse/audit';
import { GatehouseLogger, GatehouseMetrics } from '@gatehouse/observability';
import { Persistence, type Client, type Tenant } from '@gatehouse/persistence';
import { Clock, OAuthError, RateLimited, toServerError } from '@gatehouse/protocol';
import { singleValuedParams } from '../../http/request-params.js';
import { AuthorizationFlow } from '../../interaction/authorization-flow.js';
import type { FlowOutcome } from '../../interaction/flow-outcome.js';
import type { BrowserRequest } from '../../http/browser-request.js';
import { chooseLocale, uiLocalesParam, type Locale } from '../../interaction/i18n/index.js';
import { errorPage } from '../../interaction/pages.js';
import { SessionCookie } from '../../interaction/session-cookie.js';
import { CookiePolicy } from '../../runtime/cookie-policy.js';
import { AUTHORIZE_CHECK_DEPENDENCIES } from '../../runtime/injection-tokens.js';
import { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { TenantResolver } from '../../tenancy/tenant-resolver.js';
import { EndpointRateLimiter } from '../../throttling/index.js';
import { AFTER_REDIRECT_URI_IS_TRUSTED, BEFORE_REDIRECT_URI_IS_TRUSTED, type CheckDependencies } from './authorize.pipeline.js';
import { toValidatedRequest, type AuthorizeDraft } from './authorization-request.js';

const AUTHORIZE_ENDPOINT = '/authorize';

/** /authorize: run the checks in order, then hand the request to the login/consent flow. */
@Injectable()
export class AuthorizeService {
  private readonly sessions: SessionCookie;

  constructor(
    private readonly tenants: TenantResolver,
    private readonly directory: TenantDirectory,
    private readonly persistence: Persistence,
    private readonly clock: Clock,
    private readonly rateLimits: EndpointRateLimiter,
    private readonly metrics: GatehouseMetrics,
    private readonly logger: GatehouseLogger,
    private readonly flow: AuthorizationFlow,
    @Inject(AUTHORIZE_CHECK_DEPENDENCIES) private readonly checks: CheckDependencies,
    cookies: CookiePolicy,
  ) {
    this.sessions = new SessionCookie(cookies.secure);
  }

  async authorize(slug: string, rawParams: unknown, browser: BrowserRequest, context: RequestContext): Promise<FlowOutcome> {
    const cookieHeader = browser.cookieHeader;
    const locale = chooseLocale(uiLocalesParam(rawParams), browser.acceptLanguage);
    const tenant = await this.tenants.find(slug);
    if (!tenant) return errorPage(404, 'unknownTenant', { locale });
    const { metrics } = this;
    const tenantLabel = metrics.tenants.of(tenant.slug);
    metrics.authorizationRequests.inc({ tenant: tenantLabel });

    let draft: AuthorizeDraft;
    try {
      draft = { tenant, issuer: this.directory.issuer(tenant), params: singleValuedParams(rawParams) };
      for (const check of BEFORE_REDIRECT_URI_IS_TRUSTED) await check(draft, this.checks);
    } catch (error) {
      const refusal = error instanceof OAuthError ? error : toServerError(error);
      if (refusal.status >= 500) this.logger.error('authorize failed', { err: error });
      metrics.errors.inc({ tenant: tenantLabel, endpoint: AUTHORIZE_ENDPOINT, error: refusal.error });
      return errorPage(400, 'invalidRequest', { locale, tenant }, { detail: refusal.hint ?? refusal.description });
    }

    const client = draft.client as Client;
    const redirectUri = draft.redirectUri as string;
    const limited = await this.limit(tenant, client, context, locale);
    if (limited) return limited;
    try {
      for (const check of AFTER_REDIRECT_URI_IS_TRUSTED) await check(draft, this.checks);
    } catch (error) {
      const refusal = error instanceof OAuthError ? error : toServerError(error);
      if (refusal.status >= 500) this.logger.error('authorize failed', { err: error });
      metrics.errors.inc({ tenant: tenantLabel, endpoint: AUTHORIZE_ENDPOINT, error: refusal.error });
      return this.flow.fail(tenant, { clientId: client.clientId, redirectUri, state: draft.params['state'] }, refusal, context);
    }

    const request = toValidatedRequest(draft);
    return this.flow.begin(tenant, client, request, await this.currentSubject(tenant, request, cookieHeader), cookieHeader, context);
  }

  /**
   * Requests per client and end-user IP, once the client is known. Refused with the HTML error page
   * (429 and Retry-After): the redirect URI is trusted, but the client should not be sent more traffic.
   */
  private async limit(tenant: Tenant, client: Client, context: RequestContext, locale: Locale): Promise<FlowOutcome | null> {
    try {
      const subject = context.ip ?? 'unknown';
      await this.rateLimits.enforce({ tenant, client, limit: 'authorizeRequestsPerClientIpPerHour', subject, context });
      return null;
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      const page = errorPage(error.status, error.status === 429 ? 'tooManyRequests' : 'serverError', { locale, tenant, client });
      return error instanceof RateLimited ? { ...page, retryAfterSeconds: error.retryAfterSeconds ?? 1 } : page;
    }
  }

  /** An SSO session counts unless the client asks for a fresh login (prompt=login, or max_age exceeded). */
  private async currentSubject(tenant: Tenant, request: ReturnType<typeof toValidatedRequest>, cookieHeader: string | undefined) {
    if (request.prompt.includes('login')) return null;
    const now = this.clock.now();
    const session = await this.sessions.find(this.persistence, tenant, cookieHeader, now);
    if (!session) return null;
    if (request.maxAge !== undefined && now.getTime() - session.authTime.getTime() > request.maxAge * 1000) return null;
    return { userId: session.userId, sessionId: session.id, authTime: session.authTime, amr: session.amr };
  }
}
