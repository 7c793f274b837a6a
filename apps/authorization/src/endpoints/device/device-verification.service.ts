import { Inject, Injectable } from '@nestjs/common';
import type { RequestContext } from '@gatehouse/audit';
import { GatehouseLogger, GatehouseMetrics } from '@gatehouse/observability';
import { Persistence, type Tenant } from '@gatehouse/persistence';
import { Clock, codeHash, normalizeUserCode } from '@gatehouse/protocol';
import type { BrowserRequest } from '../../http/browser-request.js';
import type { Params } from '../../http/request-params.js';
import type { FlowOutcome } from '../../interaction/flow-outcome.js';
import { AuthorizationFlow } from '../../interaction/authorization-flow.js';
import { chooseLocale, type Locale } from '../../interaction/i18n/index.js';
import { errorPage, page } from '../../interaction/pages.js';
import { SessionCookie } from '../../interaction/session-cookie.js';
import { renderDeviceCodePage } from '../../interaction/views/index.js';
import { counterFor, type CounterSources, type FixedWindowCounter } from '../../throttling/index.js';
import { CookiePolicy } from '../../runtime/cookie-policy.js';
import { COUNTER_SOURCES } from '../../runtime/injection-tokens.js';
import { ClientCache } from '../../tenancy/client-cache.js';
import { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { TenantResolver } from '../../tenancy/tenant-resolver.js';
import type { ValidatedAuthorizationRequest } from '../authorize/authorization-request.js';

/** The CSRF purpose of the code form: no interaction exists yet to bind it to. */
const CSRF_PURPOSE = 'device-code';
/** RFC 8628 §5.1: user-code guesses per source address, and per tenant, in a minute. */
const GUESSES_PER_IP_PER_MINUTE = 10;
const GUESSES_PER_TENANT_PER_MINUTE = 300;

/**
 * RFC 8628 §3.3: the verification page. The person types the code their device shows (or arrives
 * with it in verification_uri_complete); a live code starts the usual sign-in and consent, whose
 * outcome approves or denies the device authorization (AuthorizationFlow). Guesses are rate limited.
 */
@Injectable()
export class DeviceVerificationService {
  private readonly sessions: SessionCookie;
  private readonly guesses: FixedWindowCounter;

  constructor(
    private readonly tenants: TenantResolver,
    private readonly directory: TenantDirectory,
    private readonly clients: ClientCache,
    private readonly persistence: Persistence,
    private readonly clock: Clock,
    private readonly metrics: GatehouseMetrics,
    private readonly logger: GatehouseLogger,
    private readonly flow: AuthorizationFlow,
    cookies: CookiePolicy,
    @Inject(COUNTER_SOURCES) counters: CounterSources,
  ) {
    this.sessions = new SessionCookie(cookies.secure);
    this.guesses = counterFor(counters);
  }

  async show(slug: string, query: Params, browser: BrowserRequest): Promise<FlowOutcome> {
    const located = await this.locate(slug, browser);
    if ('kind' in located) return located;
    const given = query['user_code'];
    return this.form(located.tenant, located.locale, browser, 200, given?.slice(0, 32));
  }

  async submit(slug: string, form: Params, browser: BrowserRequest, context: RequestContext): Promise<FlowOutcome> {
    const located = await this.locate(slug, browser);
    if ('kind' in located) return located;
    const { tenant, locale } = located;
    const typed = (form['user_code'] ?? '').slice(0, 32);
    if (!this.flow.binding.verifyCsrf(browser.cookieHeader, CSRF_PURPOSE, form['csrf']))
      return errorPage(403, 'formRefused', { locale, tenant });
    const retryAfter = await this.throttled(tenant, context);
    if (retryAfter !== null) return { ...this.form(tenant, locale, browser, 429, typed, 'tooMany'), retryAfterSeconds: retryAfter };
    const userCode = normalizeUserCode(typed);
    const now = this.clock.now();
    const authorization = userCode
      ? await this.persistence.repositories.deviceAuthorizations.findPendingByUserCode(tenant.id, codeHash(userCode), now)
      : null;
    const client = authorization ? await this.clients.find(tenant.id, authorization.clientId) : null;
    if (!authorization || !client) return this.form(tenant, locale, browser, 400, typed, 'invalid');

    const request: ValidatedAuthorizationRequest = {
      clientId: client.clientId,
      redirectUri: '',
      scopes: authorization.scopes,
      codeChallenge: '',
      resource: authorization.resource ?? undefined,
      prompt: [],
      uiLocales: locale,
      device: { authorizationId: authorization.id },
    };
    const session = await this.sessions.find(this.persistence, tenant, browser.cookieHeader, now);
    const subject = session ? { userId: session.userId, sessionId: session.id, authTime: session.authTime, amr: session.amr } : null;
    return this.flow.begin(tenant, client, request, subject, browser.cookieHeader, context);
  }

  private async locate(slug: string, browser: BrowserRequest): Promise<{ tenant: Tenant; locale: Locale } | FlowOutcome> {
    const locale = chooseLocale(undefined, browser.acceptLanguage);
    const tenant = await this.tenants.find(slug);
    if (!tenant || !tenant.deviceAuthorization.enabled) return errorPage(404, tenant ? 'notFound' : 'unknownTenant', { locale, tenant });
    return { tenant, locale };
  }

  private form(
    tenant: Tenant,
    locale: Locale,
    browser: BrowserRequest,
    status: number,
    userCode?: string,
    error?: 'invalid' | 'tooMany',
  ): FlowOutcome & { kind: 'page' } {
    const binding = this.flow.binding.obtain(browser.cookieHeader);
    const formAction = `${new URL(this.directory.issuer(tenant)).pathname}/device`;
    const csrfToken = this.flow.binding.csrfToken(binding.secret, CSRF_PURPOSE);
    return page(
      { locale, tenant },
      status,
      (chrome) => renderDeviceCodePage({ chrome, formAction, csrfToken, userCode, error }),
      binding.setCookie ? [binding.setCookie] : [],
    );
  }

  /** Seconds to wait when this address, or the tenant as a whole, has guessed too often this minute; null to go on. */
  private async throttled(tenant: Tenant, context: RequestContext): Promise<number | null> {
    try {
      const perIp = await this.guesses.hit(`device-code-ip:${tenant.id}:${context.ip ?? 'unknown'}`, 60);
      const perTenant = await this.guesses.hit(`device-code-tenant:${tenant.id}`, 60);
      const over = perIp.count > GUESSES_PER_IP_PER_MINUTE ? perIp : perTenant.count > GUESSES_PER_TENANT_PER_MINUTE ? perTenant : null;
      if (!over) return null;
      this.metrics.rateLimited.inc({ tenant: this.metrics.tenants.of(tenant.slug), limit: 'device_user_code' });
      return Math.max(1, Math.ceil((over.resetsAt.getTime() - this.clock.now().getTime()) / 1000));
    } catch (error) {
      // Fails closed: a user code is short, guessing it is the attack this limit exists for.
      this.logger.warn('Device user-code throttle unavailable; guess refused', { err: error });
      return 60;
    }
  }
}
