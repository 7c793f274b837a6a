import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@gatehouse/audit';
import type { Client, Interaction, Tenant } from '@gatehouse/persistence';
import { AccessDenied, resolveRateLimitPolicy } from '@gatehouse/protocol';
import { hashOpaqueSecret } from '@gatehouse/tokens';
import type { ValidatedAuthorizationRequest } from '../endpoints/authorize/authorization-request.js';
import type { Subject } from '../endpoints/authorize/code-issuer.js';
import type { Params } from '../http/request-params.js';
import { AuthorizationRuntime } from '../runtime/authorization-runtime.js';
import { AuthorizationFlow } from './authorization-flow.js';
import type { FlowOutcome } from './flow-outcome.js';
import { errorPage } from './pages.js';
import { createLoginThrottle, type LoginThrottle } from '../throttling/index.js';
import { checkPassword, type LoginRefusal } from './password-check.js';
import { SessionCookie } from './session-cookie.js';
import { requestedConsent } from './requested-consent.js';
import { createCspNonce, describeScope, renderConsentPage, renderLoginPage, type ConsentApi } from './views/index.js';

/**
 * The one message for every refused login: wrong password, unknown user, disabled or
 * locked account. A distinct "account locked" text would tell an attacker which
 * usernames exist and when their guesses locked one; the admin API shows the lock instead.
 */
const GENERIC_LOGIN_FAILURE = 'Incorrect username or password.';

interface Loaded {
  readonly tenant: Tenant;
  readonly interaction: Interaction;
  readonly client: Client;
  readonly request: ValidatedAuthorizationRequest & { subject: (Omit<Subject, 'authTime'> & { authTime: string }) | null };
}

/** The login and consent pages and their form posts. */
@Injectable()
export class InteractionService {
  private readonly sessions: SessionCookie;
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly runtime: AuthorizationRuntime,
    private readonly flow: AuthorizationFlow,
  ) {
    this.sessions = new SessionCookie(runtime.secureCookies);
    this.throttle = createLoginThrottle(runtime);
  }

  async show(slug: string, handle: string, cookieHeader: string | undefined): Promise<FlowOutcome> {
    const loaded = await this.load(slug, handle);
    if ('kind' in loaded) return loaded;
    const secret = this.flow.binding.read(cookieHeader);
    if (!secret || hashOpaqueSecret(secret) !== loaded.interaction.browserHash) {
      return errorPage(400, 'Sign-in expired', 'Start signing in again from the application.', loaded.tenant.name);
    }
    const csrfToken = this.flow.binding.csrfToken(secret, handle);
    if (loaded.interaction.state === 'login') return this.loginPage(loaded, handle, csrfToken, 200);
    if (loaded.interaction.state === 'consent') return await this.consentPage(loaded, handle, csrfToken);
    return errorPage(400, 'Already completed', 'This sign-in has already been completed.', loaded.tenant.name);
  }

  async login(slug: string, handle: string, form: Params, cookieHeader: string | undefined, context: RequestContext): Promise<FlowOutcome> {
    const loaded = await this.load(slug, handle);
    if ('kind' in loaded) return loaded;
    const { tenant, interaction, client, request } = loaded;
    if (interaction.state !== 'login' || !this.flow.binding.verify(cookieHeader, interaction.browserHash, handle, form['csrf'])) {
      return errorPage(
        403,
        'Request refused',
        'This form has expired or did not come from this browser. Start signing in again.',
        tenant.name,
      );
    }
    const throttled = await this.throttle.attempt(tenant, context.ip);
    if (!throttled.allowed) {
      const message = 'Too many sign-in attempts from your network. Wait a minute and try again.';
      return throttledPage(errorPage(429, 'Too many attempts', message, tenant.name), throttled.retryAfterSeconds);
    }
    const username = (form['username'] ?? '').trim();
    const now = this.runtime.now();
    const device = this.runtime.devices.identify(cookieHeader);
    const attemptContext = { ...context, deviceId: device.presentedId };
    const check = await checkPassword(this.runtime.persistence, tenant.id, username, form['password'] ?? '', now);
    if (!check.accepted) {
      await this.recordFailure(tenant, client, username, check.reason, check.userId, attemptContext, now);
      return this.loginPage(loaded, handle, form['csrf'] ?? '', 401, GENERIC_LOGIN_FAILURE, username);
    }
    const userId = check.userId;
    // Scored before the transaction: it reads the audit store, and the embedded database has one connection.
    const risk = await this.runtime.loginRisk
      .assess(tenant, {
        userId,
        username: username.toLowerCase(),
        ip: context.ip,
        userAgent: context.userAgent,
        presentedDeviceId: device.presentedId,
        at: now,
      })
      .catch(() => null);

    const cookie = this.sessions.issue(tenant);
    const amr = ['pwd'];
    const subject = await this.runtime.persistence
      .transaction(async (repos) => {
        const sessionId = await repos.sessions.insert(tenant.id, {
          userId,
          tokenHash: cookie.hash,
          authTime: now,
          amr,
          expiresAt: new Date(now.getTime() + tenant.sessionTtlSeconds * 1000),
        });
        const moved = await repos.interactions.advance(tenant.id, interaction.id, 'login', 'consent', { userId, sessionId });
        // Roll the session back too: another submission of this form already won.
        if (!moved) throw new AlreadySubmitted();
        // Resets the failure count; refused if the account was locked or disabled since the password check.
        if (!(await repos.users.recordSuccessfulLogin(tenant.id, userId, now))) throw new NoLongerAllowed();
        await repos.auditOutbox.append(tenant.id, [
          {
            type: 'login.succeeded',
            outcome: 'success',
            occurredAt: now,
            clientId: client.clientId,
            userId,
            username: username.toLowerCase().slice(0, 128),
            ...context,
            // The id this browser has from now on (a new one when it had none): its next login is then a known device.
            deviceId: device.id,
            details: { amr, ...(risk ? { login_risk: risk } : {}) },
          },
        ]);
        return { userId, sessionId, authTime: now, amr };
      })
      .catch((error: unknown) => {
        if (error instanceof AlreadySubmitted) return null;
        if (error instanceof NoLongerAllowed) return 'refused' as const;
        throw error;
      });
    if (subject === 'refused') return this.loginPage(loaded, handle, form['csrf'] ?? '', 401, GENERIC_LOGIN_FAILURE, username);
    if (!subject) return errorPage(409, 'Already submitted', 'This sign-in form was already used.', tenant.name);
    const setCookies = device.setCookie ? [cookie.setCookie, device.setCookie] : [cookie.setCookie];
    return this.flow.afterLogin(tenant, client, request, subject, cookieHeader, context, setCookies, {
      id: interaction.id,
      handle,
    });
  }

  async consent(
    slug: string,
    handle: string,
    form: Params,
    cookieHeader: string | undefined,
    context: RequestContext,
  ): Promise<FlowOutcome> {
    const loaded = await this.load(slug, handle);
    if ('kind' in loaded) return loaded;
    const { tenant, interaction, client, request } = loaded;
    if (
      interaction.state !== 'consent' ||
      !interaction.userId ||
      !this.flow.binding.verify(cookieHeader, interaction.browserHash, handle, form['csrf'])
    ) {
      return errorPage(
        403,
        'Request refused',
        'This form has expired or did not come from this browser. Start signing in again.',
        tenant.name,
      );
    }
    const subject = await this.subjectOf(loaded);
    if (!subject) return errorPage(400, 'Sign-in expired', 'Start signing in again from the application.', tenant.name);
    const now = this.runtime.now();
    const allow = form['decision'] === 'allow';
    const moved = await this.runtime.persistence.transaction(async (repos) => {
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
    if (!moved) return errorPage(409, 'Already submitted', 'This consent form was already used.', tenant.name);
    if (!allow) return this.flow.fail(tenant, request, new AccessDenied({ hint: 'the user denied the request' }), context, subject.userId);
    return this.flow.complete(tenant, request, subject, context);
  }

  /**
   * Counts the failure against the account (one conditional UPDATE that may lock it) and
   * audits it, in one transaction. The UPDATE runs by username for every refusal, a no-op
   * for an unknown, disabled or locked account, so each refusal costs the same round trips.
   */
  private async recordFailure(
    tenant: Tenant,
    client: Client,
    username: string,
    reason: LoginRefusal,
    userId: string | undefined,
    context: RequestContext,
    now: Date,
  ): Promise<void> {
    const policy = resolveRateLimitPolicy(tenant.rateLimitPolicy);
    await this.runtime.persistence.transaction(async (repos) => {
      const counted =
        username.length <= 128
          ? await repos.users.recordFailedLogin(tenant.id, username, now, {
              threshold: policy.lockoutThreshold,
              lockoutSeconds: policy.lockoutSeconds,
            })
          : null;
      const lockedOut = counted?.lockedUntil ? { locked_until: counted.lockedUntil.toISOString() } : {};
      await repos.auditOutbox.append(tenant.id, [
        {
          type: 'login.failed',
          outcome: 'failure',
          occurredAt: now,
          clientId: client.clientId,
          userId,
          username: username.slice(0, 128),
          ...context,
          details: { reason, ...(counted ? { failed_login_count: counted.failedLoginCount } : {}), ...lockedOut },
        },
      ]);
    });
  }

  /** The signed-in user of this interaction, from its session: null once the session has ended (logout, revocation). */
  private async subjectOf(loaded: Loaded): Promise<Subject | null> {
    const { interaction, tenant } = loaded;
    if (!interaction.sessionId) return null;
    const session = await this.runtime.persistence.repositories.sessions.findActiveById(
      tenant.id,
      interaction.sessionId,
      this.runtime.now(),
    );
    if (!session || session.userId !== interaction.userId) return null;
    return { userId: session.userId, sessionId: session.id, authTime: session.authTime, amr: session.amr };
  }

  private async load(slug: string, handle: string): Promise<Loaded | FlowOutcome> {
    const tenant = await this.runtime.tenants.find(slug);
    if (!tenant) return errorPage(404, 'Unknown tenant', 'This sign-in address does not exist.');
    const interaction = /^[A-Za-z0-9_-]{43}$/.test(handle)
      ? await this.runtime.persistence.repositories.interactions.findByHandle(tenant.id, hashOpaqueSecret(handle), this.runtime.now())
      : null;
    const client = interaction ? await this.runtime.clients.find(tenant.id, interaction.clientId) : null;
    if (!interaction || !client) return errorPage(400, 'Sign-in expired', 'Start signing in again from the application.', tenant.name);
    return { tenant, interaction, client, request: interaction.request as unknown as Loaded['request'] };
  }

  private loginPage(loaded: Loaded, handle: string, csrfToken: string, status: number, error?: string, username?: string): FlowOutcome {
    const nonce = createCspNonce();
    const html = renderLoginPage({
      tenantName: loaded.tenant.name,
      formAction: `${handle}/login`,
      csrfToken,
      nonce,
      username,
      error,
      loginHint: loaded.request.loginHint,
    });
    return { kind: 'page', status, html, nonce, setCookies: [] };
  }

  private async consentPage(loaded: Loaded, handle: string, csrfToken: string): Promise<FlowOutcome> {
    const nonce = createCspNonce();
    const describe = (names: readonly string[]) => names.map((name) => ({ name, description: describeScope(name) }));
    const requested = requestedConsent(loaded.request);
    const apis: ConsentApi[] = [];
    for (const { resource, scopes } of requested) {
      if (resource === null) continue;
      const api = await this.runtime.persistence.repositories.apis.findByIdentifier(loaded.tenant.id, resource);
      apis.push({ name: api?.name ?? resource, identifier: resource, scopes: describe(scopes) });
    }
    const html = renderConsentPage({
      tenantName: loaded.tenant.name,
      clientName: loaded.client.name,
      scopes: describe(requested.find((entry) => entry.resource === null)?.scopes ?? []),
      apis,
      formAction: `${handle}/consent`,
      csrfToken,
      nonce,
    });
    return { kind: 'page', status: 200, html, nonce, setCookies: [] };
  }
}

function throttledPage(page: FlowOutcome, retryAfterSeconds: number): FlowOutcome {
  return page.kind === 'page' ? { ...page, retryAfterSeconds } : page;
}

/** Another submission of the same login form won the race. */
class AlreadySubmitted extends Error {}

/** The account was locked or disabled between the password check and the session. */
class NoLongerAllowed extends Error {}
