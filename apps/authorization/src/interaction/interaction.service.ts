import { Inject, Injectable } from '@nestjs/common';
import type { RequestContext } from '@gatehouse/audit';
import { GatehouseMetrics } from '@gatehouse/observability';
import { Persistence, type InteractionState } from '@gatehouse/persistence';
import { Clock, AccessDenied } from '@gatehouse/protocol';
import { hashOpaqueSecret } from '@gatehouse/tokens';
import type { Subject } from '../endpoints/authorize/code-issuer.js';
import type { BrowserRequest } from '../http/browser-request.js';
import type { Params } from '../http/request-params.js';
import { DeviceCookie } from '../risk/device-cookie.js';
import { LoginRisk } from '../risk/login-risk.js';
import { COUNTER_SOURCES } from '../runtime/injection-tokens.js';
import { ClientCache } from '../tenancy/client-cache.js';
import { TenantResolver } from '../tenancy/tenant-resolver.js';
import { AuthorizationFlow } from './authorization-flow.js';
import { redirectTo, type FlowOutcome } from './flow-outcome.js';
import { chooseLocale } from './i18n/index.js';
import { InteractionPages, type LoadedInteraction } from './interaction-pages.js';
import { errorPage } from './pages.js';
import {
  createLoginThrottle,
  createUsernameThrottling,
  type AccountLockNotice,
  type CounterSources,
  type LoginThrottle,
  type ProgressiveDelay,
} from '../throttling/index.js';
import { LoginFailures } from './login-failures.js';
import { checkPassword } from './password-check.js';
import { SecondFactorStep } from './second-factor-step.js';
import { afterPassword, AMR_PASSWORD } from './sign-in-completion.js';
import { SignInSession } from './sign-in-session.js';
import { requestedConsent } from './requested-consent.js';

/** The login and consent pages and their form posts. */
@Injectable()
export class InteractionService {
  private readonly throttle: LoginThrottle;
  private readonly lockNotice: AccountLockNotice;
  private readonly delay: ProgressiveDelay;
  private readonly failures: LoginFailures;

  constructor(
    private readonly tenants: TenantResolver,
    private readonly clients: ClientCache,
    private readonly persistence: Persistence,
    private readonly clock: Clock,
    private readonly metrics: GatehouseMetrics,
    private readonly devices: DeviceCookie,
    private readonly loginRisk: LoginRisk,
    private readonly flow: AuthorizationFlow,
    private readonly pages: InteractionPages,
    private readonly signIn: SignInSession,
    private readonly secondFactor: SecondFactorStep,
    @Inject(COUNTER_SOURCES) counters: CounterSources,
  ) {
    this.throttle = createLoginThrottle(counters);
    ({ notice: this.lockNotice, delay: this.delay } = createUsernameThrottling(counters));
    this.failures = new LoginFailures(persistence);
  }

  async show(slug: string, handle: string, browser: BrowserRequest): Promise<FlowOutcome> {
    const loaded = await this.load(slug, handle, browser);
    if ('kind' in loaded) return loaded;
    const secret = this.flow.binding.read(browser.cookieHeader);
    // Another browser's sign-in: no link to its client, or a handle could send a victim to any client's site under our address.
    if (!secret || hashOpaqueSecret(secret) !== loaded.interaction.browserHash) return errorPage(400, 'signInExpired', loaded.pageSubject);
    const csrfToken = this.flow.binding.csrfToken(secret, handle);
    if (loaded.interaction.state === 'login')
      return this.pages.login(loaded, handle, csrfToken, 200, { currentAccount: await this.accountToOffer(loaded) });
    if (loaded.interaction.state === 'second_factor') return this.pages.secondFactor(loaded, handle, csrfToken, 200);
    if (loaded.interaction.state === 'enrol') return await this.secondFactor.showEnrolment(loaded, handle, csrfToken);
    if (loaded.interaction.state === 'consent') return await this.pages.consent(loaded, handle, csrfToken);
    return this.pages.startAgain(loaded, 400, 'alreadyCompleted');
  }

  async login(slug: string, handle: string, form: Params, browser: BrowserRequest, context: RequestContext): Promise<FlowOutcome> {
    const loaded = await this.load(slug, handle, browser);
    if ('kind' in loaded) return loaded;
    const { tenant, interaction, client, request } = loaded;
    const cookieHeader = browser.cookieHeader;
    if (interaction.state === 'done') return this.pages.startAgain(loaded, 409, 'alreadyCompleted');
    if (interaction.state !== 'login' || !this.flow.binding.verify(cookieHeader, interaction.browserHash, handle, form['csrf'])) {
      return this.pages.startAgain(loaded, 403, 'formRefused');
    }
    const { metrics } = this;
    const tenantLabel = metrics.tenants.of(tenant.slug);
    const outcome = (value: string) => metrics.loginOutcomes.inc({ tenant: tenantLabel, outcome: value });
    const refused = await this.throttled(loaded, context);
    if (refused) {
      outcome('throttled');
      return refused;
    }
    const username = (form['username'] ?? '').trim();
    const now = this.clock.now();
    const attemptContext = { ...context, deviceId: this.devices.identify(cookieHeader).presentedId };
    // The progressive delay (docs/adr/0003): decided by the username's recent failures alone, known or not.
    const wait = await this.delay.retryAfterSeconds(tenant, username);
    if (wait > 0) {
      outcome('throttled');
      metrics.rateLimited.inc({ tenant: tenantLabel, limit: 'login_progressive_delay' });
      await this.failures.record(tenant, client, username, 'throttled', undefined, attemptContext, now);
      return this.pages.login(loaded, handle, form['csrf'] ?? '', 429, {
        error: 'throttled',
        username,
        retryAfterSeconds: wait,
        currentAccount: await this.accountToOffer(loaded),
      });
    }
    const check = await checkPassword(this.persistence, tenant.id, username, form['password'] ?? '', now);
    if (!check.accepted) {
      outcome(check.reason);
      await this.failures.record(tenant, client, username, check.reason, check.userId, attemptContext, now);
      return this.refusedLogin(loaded, handle, form['csrf'] ?? '', username);
    }
    const userId = check.userId;
    // Scored before any transaction: it reads the audit store, and the embedded database has one connection.
    const risk = await this.loginRisk
      .assess(tenant, {
        userId,
        username: username.toLowerCase(),
        ip: context.ip,
        userAgent: context.userAgent,
        presentedDeviceId: attemptContext.deviceId,
        at: now,
      })
      .catch(() => null);
    if (risk) metrics.riskScore.observe({ tenant: tenantLabel }, risk.score);
    const { step, riskDetails } = await afterPassword(this.persistence.repositories, tenant, userId, request, risk);
    if (step.next === 'refuse') {
      outcome(step.reason);
      await this.failures.recordRiskRefusal(tenant, client, username, userId, attemptContext, now, step.reason, riskDetails);
      return this.refusedLogin(loaded, handle, form['csrf'] ?? '', username);
    }
    if (step.next !== 'complete') {
      // The password is right but the sign-in is not done: no session yet, and the failure count stands until the code.
      const moved = await this.persistence.repositories.interactions.advance(tenant.id, interaction.id, 'login', step.next, {
        userId,
        signInRisk: riskDetails,
      });
      if (!moved) return this.pages.startAgain(loaded, 409, 'alreadySubmitted');
      outcome(step.next);
      return redirectTo(this.pages.interactionPath(tenant, handle));
    }
    const result = await this.signIn.finish(loaded, {
      userId,
      username,
      from: 'login',
      amr: AMR_PASSWORD,
      cookieHeader,
      context,
      riskDetails,
    });
    if (result.kind === 'refused') return this.refusedLogin(loaded, handle, form['csrf'] ?? '', username);
    if (result.kind === 'already_submitted') return this.pages.startAgain(loaded, 409, 'alreadySubmitted');
    outcome('success');
    return this.flow.afterLogin(tenant, client, request, result.subject, cookieHeader, context, result.setCookies, {
      id: interaction.id,
      handle,
      on: loaded.pageSubject,
    });
  }

  /** POST .../second-factor: the TOTP or recovery code after the password. */
  async secondFactorCode(
    slug: string,
    handle: string,
    form: Params,
    browser: BrowserRequest,
    context: RequestContext,
  ): Promise<FlowOutcome> {
    const loaded = await this.formFor(slug, handle, form, browser, 'second_factor');
    if ('kind' in loaded) return loaded;
    const refused = await this.throttled(loaded, context);
    if (refused) return refused;
    return this.secondFactor.verify(loaded, handle, form, browser.cookieHeader, context);
  }

  /** POST .../enrol: the first code of a new TOTP factor. */
  async enrol(slug: string, handle: string, form: Params, browser: BrowserRequest, context: RequestContext): Promise<FlowOutcome> {
    const loaded = await this.formFor(slug, handle, form, browser, 'enrol');
    if ('kind' in loaded) return loaded;
    const refused = await this.throttled(loaded, context);
    if (refused) return refused;
    return this.secondFactor.enrol(loaded, handle, form, browser.cookieHeader, context);
  }

  /** POST .../continue: after the recovery codes were shown, on to consent or back to the client. */
  async continueSignIn(slug: string, handle: string, form: Params, browser: BrowserRequest, context: RequestContext): Promise<FlowOutcome> {
    const loaded = await this.formFor(slug, handle, form, browser, 'consent');
    if ('kind' in loaded) return loaded;
    const subject = await this.subjectOf(loaded);
    if (!subject) return this.pages.startAgain(loaded, 400, 'signInExpired');
    return this.flow.afterLogin(loaded.tenant, loaded.client, loaded.request, subject, browser.cookieHeader, context, [], {
      id: loaded.interaction.id,
      handle,
      on: loaded.pageSubject,
    });
  }

  /**
   * POST .../continue-as (prompt=select_account): the account whose session began this sign-in,
   * if that session is still active; then consent or the code, as after a login.
   */
  async continueAs(slug: string, handle: string, form: Params, browser: BrowserRequest, context: RequestContext): Promise<FlowOutcome> {
    const loaded = await this.formFor(slug, handle, form, browser, 'login');
    if ('kind' in loaded) return loaded;
    const subject = loaded.request.prompt.includes('select_account') ? await this.subjectOf(loaded) : null;
    if (!subject || !(await this.secondFactor.activeUser(loaded, subject.userId)))
      return this.pages.startAgain(loaded, 400, 'signInExpired');
    const { tenant, interaction, client, request } = loaded;
    if (!(await this.persistence.repositories.interactions.advance(tenant.id, interaction.id, 'login', 'consent')))
      return this.pages.startAgain(loaded, 409, 'alreadySubmitted');
    return this.flow.afterLogin(tenant, client, request, subject, browser.cookieHeader, context, [], {
      id: interaction.id,
      handle,
      on: loaded.pageSubject,
    });
  }

  /** prompt=select_account: the username of the signed-in account this sign-in began with, while its session lasts. */
  private async accountToOffer(loaded: LoadedInteraction): Promise<string | undefined> {
    if (!loaded.request.prompt.includes('select_account')) return undefined;
    const subject = await this.subjectOf(loaded);
    return subject ? (await this.secondFactor.activeUser(loaded, subject.userId))?.username : undefined;
  }

  /** The per-IP login throttle every credential form shares (password and codes alike): a 429 page, or null to go on. */
  async throttled(loaded: LoadedInteraction, context: RequestContext): Promise<FlowOutcome | null> {
    const throttled = await this.throttle.attempt(loaded.tenant, context.ip);
    if (throttled.allowed) return null;
    this.metrics.rateLimited.inc({ tenant: this.metrics.tenants.of(loaded.tenant.slug), limit: 'login_per_ip' });
    return { ...errorPage(429, 'tooManyAttempts', loaded.pageSubject), retryAfterSeconds: throttled.retryAfterSeconds };
  }

  /** A form of one state of this interaction, posted from the browser that began it. */
  async formFor(
    slug: string,
    handle: string,
    form: Params,
    browser: BrowserRequest,
    state: InteractionState,
  ): Promise<LoadedInteraction | FlowOutcome> {
    const loaded = await this.load(slug, handle, browser);
    if ('kind' in loaded) return loaded;
    const { interaction } = loaded;
    if (interaction.state === 'done') return this.pages.startAgain(loaded, 409, 'alreadyCompleted');
    if (
      interaction.state !== state ||
      !interaction.userId ||
      !this.flow.binding.verify(browser.cookieHeader, interaction.browserHash, handle, form['csrf'])
    )
      return this.pages.startAgain(loaded, 403, 'formRefused');
    return loaded;
  }

  async consent(slug: string, handle: string, form: Params, browser: BrowserRequest, context: RequestContext): Promise<FlowOutcome> {
    const loaded = await this.load(slug, handle, browser);
    if ('kind' in loaded) return loaded;
    const { tenant, interaction, client, request } = loaded;
    if (interaction.state === 'done') return this.pages.startAgain(loaded, 409, 'alreadyCompleted');
    if (
      interaction.state !== 'consent' ||
      !interaction.userId ||
      !this.flow.binding.verify(browser.cookieHeader, interaction.browserHash, handle, form['csrf'])
    ) {
      return this.pages.startAgain(loaded, 403, 'formRefused');
    }
    const subject = await this.subjectOf(loaded);
    if (!subject) return this.pages.startAgain(loaded, 400, 'signInExpired');
    const now = this.clock.now();
    const allow = form['decision'] === 'allow';
    const moved = await this.persistence.transaction(async (repos) => {
      if (!(await repos.interactions.advance(tenant.id, interaction.id, 'consent', 'done'))) return false;
      // Recorded per resource: consent to `read` at this API is no consent for another API's `read`.
      if (allow) {
        for (const { resource, scopes } of requestedConsent(request)) {
          await repos.consents.grant(tenant.id, subject.userId, client.clientId, scopes, now, resource);
        }
      }
      await repos.auditOutbox.append(tenant.id, [
        {
          type: allow ? 'consent.granted' : 'consent.denied',
          outcome: allow ? 'success' : 'failure',
          occurredAt: now,
          clientId: client.clientId,
          userId: subject.userId,
          ...context,
          details: { scopes: request.scopes, resource: request.resource ?? null },
        },
      ]);
      return true;
    });
    if (!moved) return this.pages.startAgain(loaded, 409, 'alreadySubmitted');
    if (!allow) return this.flow.fail(tenant, request, new AccessDenied({ hint: 'the user denied the request' }), context, subject.userId);
    return this.flow.complete(tenant, request, subject, context);
  }

  /** The signed-in user of this interaction, from its session: null once the session has ended (logout, revocation). */
  private async subjectOf(loaded: LoadedInteraction): Promise<Subject | null> {
    const { interaction, tenant } = loaded;
    if (!interaction.sessionId) return null;
    const session = await this.persistence.repositories.sessions.findActiveById(tenant.id, interaction.sessionId, this.clock.now());
    if (!session || session.userId !== interaction.userId) return null;
    return { userId: session.userId, sessionId: session.id, authTime: session.authTime, amr: session.amr };
  }

  /**
   * A refused login shows the form again: the generic message, or the locked-account notice
   * once this username (real or not) has failed lockoutThreshold times (AccountLockNotice).
   */
  private async refusedLogin(loaded: LoadedInteraction, handle: string, csrfToken: string, username: string): Promise<FlowOutcome> {
    const locked = await this.lockNotice.isLockedAfterFailure(loaded.tenant, username);
    return this.pages.login(loaded, handle, csrfToken, 401, {
      error: locked ? 'locked' : 'failed',
      username,
      currentAccount: await this.accountToOffer(loaded),
    });
  }

  async load(slug: string, handle: string, browser: BrowserRequest): Promise<LoadedInteraction | FlowOutcome> {
    const tenant = await this.tenants.find(slug);
    if (!tenant) return errorPage(404, 'unknownTenant', { locale: chooseLocale(undefined, browser.acceptLanguage) });
    const interaction = /^[A-Za-z0-9_-]{43}$/.test(handle)
      ? await this.persistence.repositories.interactions.findByHandle(tenant.id, hashOpaqueSecret(handle))
      : null;
    const client = interaction ? await this.clients.find(tenant.id, interaction.clientId) : null;
    const request = interaction?.request as unknown as LoadedInteraction['request'] | undefined;
    const pageSubject = { locale: chooseLocale(request?.uiLocales, browser.acceptLanguage), tenant, client };
    if (!interaction || !client || !request) return errorPage(400, 'signInExpired', pageSubject);
    const loaded = { tenant, interaction, client, request, pageSubject };
    // Past its lifetime the sign-in cannot go on, but it still knows which client to send the person back to.
    if (interaction.expiresAt <= this.clock.now()) return this.pages.startAgain(loaded, 400, 'signInExpired');
    return loaded;
  }
}
