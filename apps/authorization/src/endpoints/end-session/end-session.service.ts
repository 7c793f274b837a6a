import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@gatehouse/audit';
import { GatehouseLogger } from '@gatehouse/observability';
import { Persistence, type Client, type Session, type Tenant } from '@gatehouse/persistence';
import { Clock, ADMIN_API_IDENTIFIER, OAuthError, SYSTEM_TENANT, toServerError } from '@gatehouse/protocol';
import { TenantKeyCache, type IdTokenHint } from '@gatehouse/tokens';
import { singleValuedParams } from '../../http/request-params.js';
import { BrowserBinding } from '../../interaction/browser-binding.js';
import { redirectTo, type FlowOutcome } from '../../interaction/flow-outcome.js';
import type { BrowserRequest } from '../../http/browser-request.js';
import { chooseLocale, uiLocalesParam, translatorFor, type Locale } from '../../interaction/i18n/index.js';
import { errorPage, page } from '../../interaction/pages.js';
import { SessionCookie } from '../../interaction/session-cookie.js';
import { renderLogoutConfirmPage, renderSignedOutPage } from '../../interaction/views/index.js';
import { CookiePolicy } from '../../runtime/cookie-policy.js';
import { ClientCache } from '../../tenancy/client-cache.js';
import { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { TenantResolver } from '../../tenancy/tenant-resolver.js';
import { RevocationNotifier } from '../token/revocation-notifier.js';
import { resolveLogoutRequest, type LogoutRequest, type LogoutRequestSources } from './logout-request.js';
import { mayRedirectAfterLogout } from './post-logout-redirect.js';

/** What the confirmation form's CSRF token is derived for, next to the browser's secret: this tenant's logout. */
function csrfPurpose(tenant: Tenant): string {
  return `logout:${tenant.id}`;
}

/**
 * OIDC RP-Initiated Logout 1.0: end the tenant's SSO session, queue the back-channel logout
 * notices (Back-Channel Logout 1.0 §2.5) in the same transaction, and return to the client.
 */
@Injectable()
export class EndSessionService {
  private readonly sessions: SessionCookie;
  private readonly binding: BrowserBinding;
  private readonly logoutSources: LogoutRequestSources;

  constructor(
    private readonly tenants: TenantResolver,
    private readonly directory: TenantDirectory,
    private readonly persistence: Persistence,
    private readonly clock: Clock,
    private readonly logger: GatehouseLogger,
    private readonly notifier: RevocationNotifier,
    cookies: CookiePolicy,
    keys: TenantKeyCache,
    clients: ClientCache,
  ) {
    this.sessions = new SessionCookie(cookies.secure);
    this.binding = new BrowserBinding(cookies.secure);
    this.logoutSources = { directory, keys, clients };
  }

  /** GET or POST /logout from the relying party. */
  async request(slug: string, rawParams: unknown, browser: BrowserRequest, context: RequestContext): Promise<FlowOutcome> {
    const cookieHeader = browser.cookieHeader;
    const locale = chooseLocale(uiLocalesParam(rawParams), browser.acceptLanguage);
    const tenant = await this.tenants.find(slug);
    if (!tenant) return errorPage(404, 'unknownTenant', { locale });
    const request = await this.validate(tenant, rawParams, locale);
    if ('kind' in request) return request;

    const session = await this.sessions.find(this.persistence, tenant, cookieHeader, this.clock.now());
    if (!session) return this.finish(tenant, request, await mayRedirectAfterLogout(this.persistence, tenant, request, null), locale);
    // A hint for this very session is the client asking for it: no need to ask the user (§2).
    if (request.hint && namesSession(request.hint, session)) {
      await this.end(tenant, session, request.client, 'id_token_hint', context);
      return this.finish(tenant, request, await mayRedirectAfterLogout(this.persistence, tenant, request, null), locale);
    }
    return this.confirmationPage(tenant, request, cookieHeader, locale);
  }

  /** POST /logout/confirm: the user pressed "Sign out" on the confirmation page. */
  async confirm(slug: string, rawForm: unknown, browser: BrowserRequest, context: RequestContext): Promise<FlowOutcome> {
    const cookieHeader = browser.cookieHeader;
    const form = formOf(rawForm);
    const locale = chooseLocale(form['ui_locales'], browser.acceptLanguage);
    const tenant = await this.tenants.find(slug);
    if (!tenant) return errorPage(404, 'unknownTenant', { locale });
    if (!this.binding.verifyCsrf(cookieHeader, csrfPurpose(tenant), form['csrf'])) {
      const message = translatorFor(locale).text('error.logoutFormRefused.message');
      return errorPage(403, 'formRefused', { locale, tenant }, { message });
    }
    // The hidden fields are validated again: the form is the browser's, not ours.
    const request = await this.validate(
      tenant,
      {
        id_token_hint: form['id_token_hint'],
        client_id: form['client_id'],
        post_logout_redirect_uri: form['post_logout_redirect_uri'],
        state: form['state'],
      },
      locale,
    );
    if ('kind' in request) return request;
    const session = await this.sessions.find(this.persistence, tenant, cookieHeader, this.clock.now());
    // Decided before the session ends: whether the client took part in the session the person ended.
    const redirect = await mayRedirectAfterLogout(this.persistence, tenant, request, session);
    if (session) await this.end(tenant, session, request.client, 'user_confirmed', context);
    return this.finish(tenant, request, redirect, locale);
  }

  private async validate(tenant: Tenant, rawParams: unknown, locale: Locale): Promise<LogoutRequest | FlowOutcome> {
    try {
      return await resolveLogoutRequest(this.logoutSources, tenant, singleValuedParams(rawParams));
    } catch (error) {
      const refusal = error instanceof OAuthError ? error : toServerError(error);
      if (refusal.status >= 500) {
        this.logger.error('end session failed', { err: error });
        return errorPage(500, 'serverError', { locale, tenant });
      }
      return errorPage(400, 'invalidLogout', { locale, tenant }, { detail: refusal.hint ?? refusal.description });
    }
  }

  /**
   * One transaction: the session ends, so do its grants (but those granted offline_access),
   * the clients that used it are queued for notice, the audit says so.
   */
  private async end(tenant: Tenant, session: Session, client: Client | null, reason: string, context: RequestContext): Promise<void> {
    const now = this.clock.now();
    // Admin rights never outlive the admin's sign-out, offline_access or not.
    const adminApi = tenant.slug === SYSTEM_TENANT ? ADMIN_API_IDENTIFIER : null;
    const grantIds = await this.persistence.transaction(async (repos) => {
      // Conditional UPDATE: of two concurrent logouts only one enqueues and audits.
      if (!(await repos.sessions.end(tenant.id, session.id, now))) return [];
      const grants = await repos.refreshTokens.revokeSessionBound(tenant.id, session.id, adminApi, now);
      const notices = await repos.backchannelLogoutJobs.enqueueForSession(tenant.id, session.id, session.userId);
      await repos.auditOutbox.append(tenant.id, [
        {
          type: 'session.ended',
          outcome: 'success',
          occurredAt: now,
          clientId: client?.clientId,
          userId: session.userId,
          ...context,
          details: { sid: session.id, reason, backchannel_notices: notices, grants_revoked: grants.length },
        },
      ]);
      return grants;
    });
    await this.notifier.publish(tenant.id, { grantIds });
  }

  private confirmationPage(tenant: Tenant, request: LogoutRequest, cookieHeader: string | undefined, locale: Locale): FlowOutcome {
    const browser = this.binding.obtain(cookieHeader);
    const hidden: Record<string, string> = {};
    if (request.client) hidden['client_id'] = request.client.clientId;
    // Carried to the confirmation so that it can still prove the client (§3); re-verified there.
    if (request.rawHint !== null) hidden['id_token_hint'] = request.rawHint;
    if (request.postLogoutRedirectUri !== null) hidden['post_logout_redirect_uri'] = request.postLogoutRedirectUri;
    if (request.state !== null) hidden['state'] = request.state;
    if (locale !== 'en') hidden['ui_locales'] = locale;
    return page(
      { locale, tenant, client: request.client },
      200,
      (chrome) =>
        renderLogoutConfirmPage({
          chrome,
          formAction: `${new URL(this.directory.issuer(tenant)).pathname}/logout/confirm`,
          csrfToken: this.binding.csrfToken(browser.secret, csrfPurpose(tenant)),
          hidden,
        }),
      browser.setCookie ? [browser.setCookie] : [],
    );
  }

  /** The session cookie is cleared in every case; back to the client only on a registered URI it proved it may use (§3). */
  private finish(tenant: Tenant, request: LogoutRequest, redirect: boolean, locale: Locale): FlowOutcome {
    const cookies = [this.sessions.clear(tenant)];
    if (redirect && request.postLogoutRedirectUri !== null) {
      const location = new URL(request.postLogoutRedirectUri);
      if (request.state !== null) location.searchParams.append('state', request.state);
      return redirectTo(location.toString(), cookies);
    }
    return page({ locale, tenant }, 200, renderSignedOutPage, cookies);
  }
}

/** The hint's user is the session's, and its sid, when it has one, is this session rather than an earlier one. */
function namesSession(hint: IdTokenHint, session: Session): boolean {
  return hint.sub === session.userId && (hint.sid === undefined || hint.sid === session.id);
}

function formOf(raw: unknown): Record<string, string | undefined> {
  try {
    return singleValuedParams(raw);
  } catch {
    return {};
  }
}
