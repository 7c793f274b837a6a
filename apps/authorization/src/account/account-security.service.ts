import { Clock } from '@gatehouse/protocol';
import { Injectable } from '@nestjs/common';
import type { AuditEvent, RequestContext } from '@gatehouse/audit';
import { Persistence, type Session, type Tenant, type User } from '@gatehouse/persistence';
import type { BrowserRequest } from '../http/browser-request.js';
import type { Params } from '../http/request-params.js';
import { BrowserBinding } from '../interaction/browser-binding.js';
import { redirectTo, type FlowOutcome } from '../interaction/flow-outcome.js';
import { chooseLocale, type Locale } from '../interaction/i18n/index.js';
import { errorPage, page } from '../interaction/pages.js';
import { SessionCookie } from '../interaction/session-cookie.js';
import { renderSecurityPage } from '../interaction/views/index.js';
import { PasskeyCeremonies } from '../passkeys/passkey-ceremonies.js';
import { CookiePolicy } from '../runtime/cookie-policy.js';
import { TenantDirectory } from '../tenancy/tenant-directory.js';
import { TenantResolver } from '../tenancy/tenant-resolver.js';

interface Account {
  readonly tenant: Tenant;
  readonly session: Session;
  readonly user: User;
  readonly locale: Locale;
}

type Notice = 'added' | 'removed';

/**
 * /t/{tenant}/account/security: the signed-in person's passkeys and TOTP status. Its forms carry a
 * CSRF token derived from the browser's secret and the session (BrowserBinding); a passkey added
 * here is bound to that session's challenge, and every change is audited.
 */
@Injectable()
export class AccountSecurityService {
  private readonly sessions: SessionCookie;
  private readonly binding: BrowserBinding;

  constructor(
    private readonly tenants: TenantResolver,
    private readonly directory: TenantDirectory,
    private readonly persistence: Persistence,
    private readonly clock: Clock,
    private readonly ceremonies: PasskeyCeremonies,
    cookies: CookiePolicy,
  ) {
    this.sessions = new SessionCookie(cookies.secure);
    this.binding = new BrowserBinding(cookies.secure);
  }

  async show(slug: string, browser: BrowserRequest, done: unknown): Promise<FlowOutcome> {
    const account = await this.account(slug, browser);
    if ('kind' in account) return account;
    const notice = done === 'added' || done === 'removed' ? done : undefined;
    return this.render(account, browser, 200, notice);
  }

  /** POST .../passkeys: a new passkey from the security page. */
  async add(slug: string, form: Params, browser: BrowserRequest, context: RequestContext): Promise<FlowOutcome> {
    const account = await this.postedBy(slug, form, browser);
    if ('kind' in account) return account;
    const { tenant, user, session } = account;
    const result = await this.ceremonies.register(tenant, `session:${session.id}`, form['response']);
    const name = (form['name'] ?? '').trim().slice(0, 100) || 'Passkey';
    const added = result.ok
      ? await this.persistence.transaction(async (repos) => {
          const passkey = await repos.passkeys.insert(tenant.id, { ...result.credential, userId: user.id, name });
          if (!passkey) return false;
          await repos.auditOutbox.append(tenant.id, [
            this.event(account, 'mfa.enrolled', context, { method: 'passkey', device_type: passkey.deviceType, via: 'account' }),
          ]);
          return true;
        })
      : false;
    if (added) return redirectTo(`${this.path(tenant)}?done=added`);
    const reason = result.ok ? 'credential_already_registered' : result.reason;
    await this.persistence.repositories.auditOutbox.append(tenant.id, [
      this.event(account, 'mfa.failed', context, { method: 'passkey', enrolment: true, via: 'account', reason }),
    ]);
    return this.render(account, browser, 400, undefined, 'passkeyFailed');
  }

  /** POST .../passkeys/{id}/remove: the person's own passkey only. */
  async remove(slug: string, id: string, form: Params, browser: BrowserRequest, context: RequestContext): Promise<FlowOutcome> {
    const account = await this.postedBy(slug, form, browser);
    if ('kind' in account) return account;
    const { tenant, user } = account;
    const removed = await this.persistence.transaction(async (repos) => {
      const passkey = await repos.passkeys.remove(tenant.id, user.id, id);
      if (passkey)
        await repos.auditOutbox.append(tenant.id, [
          this.event(account, 'passkey.removed', context, { passkey_id: passkey.id, name: passkey.name, via: 'account' }),
        ]);
      return passkey !== null;
    });
    return redirectTo(removed ? `${this.path(tenant)}?done=removed` : this.path(tenant));
  }

  private async render(
    account: Account,
    browser: BrowserRequest,
    status: number,
    notice?: Notice,
    error?: 'passkeyFailed',
  ): Promise<FlowOutcome> {
    const { tenant, user, session, locale } = account;
    const { passkeys, secondFactors } = this.persistence.repositories;
    const secret = this.binding.obtain(browser.cookieHeader);
    const csrfToken = this.binding.csrfToken(secret.secret, purposeOf(session));
    const listed = await passkeys.listForUser(tenant.id, user.id);
    const totp = (await secondFactors.findTotp(tenant.id, user.id))?.confirmedAt != null;
    const options = await this.ceremonies.registrationOptions(tenant, user, `session:${session.id}`);
    const issuerPath = new URL(this.directory.issuer(tenant)).pathname;
    return page(
      { locale, tenant },
      status,
      (chrome) =>
        renderSecurityPage({
          chrome,
          userName: user.username,
          csrfToken,
          totp,
          basePath: this.path(tenant),
          passkeys: listed.map((passkey) => ({ ...passkey, synced: passkey.deviceType === 'multiDevice' })),
          add: { ceremony: 'register', formAction: `${this.path(tenant)}/passkeys`, options, scriptSrc: `${issuerPath}/assets/passkey.js` },
          notice,
          error,
        }),
      secret.setCookie ? [secret.setCookie] : [],
    );
  }

  /** A form of the security page, posted from the browser that holds the session. */
  private async postedBy(slug: string, form: Params, browser: BrowserRequest): Promise<Account | FlowOutcome> {
    const account = await this.account(slug, browser);
    if ('kind' in account) return account;
    if (!this.binding.verifyCsrf(browser.cookieHeader, purposeOf(account.session), form['csrf']))
      return errorPage(403, 'formRefused', { locale: account.locale, tenant: account.tenant });
    return account;
  }

  private async account(slug: string, browser: BrowserRequest): Promise<Account | FlowOutcome> {
    const locale = chooseLocale(undefined, browser.acceptLanguage);
    const tenant = await this.tenants.find(slug);
    if (!tenant) return errorPage(404, 'unknownTenant', { locale });
    const session = await this.sessions.find(this.persistence, tenant, browser.cookieHeader, this.clock.now());
    const user = session ? await this.persistence.repositories.users.findById(tenant.id, session.userId) : null;
    if (!session || user?.status !== 'active') return errorPage(401, 'notSignedIn', { locale, tenant });
    return { tenant, session, user, locale };
  }

  private path(tenant: Tenant): string {
    return `${new URL(this.directory.issuer(tenant)).pathname}/account/security`;
  }

  private event(account: Account, type: AuditEvent['type'], context: RequestContext, details: Record<string, unknown>): AuditEvent {
    return {
      type,
      outcome: type === 'mfa.failed' ? 'failure' : 'success',
      occurredAt: this.clock.now(),
      userId: account.user.id,
      username: account.user.username.slice(0, 128),
      ...context,
      details,
    };
  }
}

function purposeOf(session: Session): string {
  return `account-security:${session.id}`;
}
