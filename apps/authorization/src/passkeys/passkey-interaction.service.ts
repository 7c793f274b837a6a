import { Clock } from '@gatehouse/protocol';
import { Injectable } from '@nestjs/common';
import type { AuditEvent, RequestContext } from '@gatehouse/audit';
import { Persistence, type Repositories, type User } from '@gatehouse/persistence';
import type { BrowserRequest } from '../http/browser-request.js';
import type { Params } from '../http/request-params.js';
import { AuthorizationFlow } from '../interaction/authorization-flow.js';
import type { FlowOutcome } from '../interaction/flow-outcome.js';
import { InteractionPages, type LoadedInteraction } from '../interaction/interaction-pages.js';
import { InteractionService } from '../interaction/interaction.service.js';
import { isLocked, SecondFactorStep } from '../interaction/second-factor-step.js';
import { SignInSession } from '../interaction/sign-in-session.js';
import { DeviceCookie } from '../risk/device-cookie.js';
import { LoginRisk } from '../risk/login-risk.js';
import { amrForPasskey } from './passkey-amr.js';
import { PasskeyCeremonies, type CeremonyBinding } from './passkey-ceremonies.js';
import { passwordlessRisk, type PasswordlessRiskSources } from './passwordless-risk.js';

const DEFAULT_NAME = 'Passkey';

/**
 * The passkey posts of a sign-in (docs/adr/0010): a passkey as the second factor, a new passkey
 * instead of TOTP enrolment, and, where the tenant allows it, a passkey instead of the password.
 * The same states, CSRF binding, per-IP throttle and one-transaction sign-in as the code forms.
 */
@Injectable()
export class PasskeyInteractionService {
  private readonly riskSources: PasswordlessRiskSources;

  constructor(
    private readonly persistence: Persistence,
    private readonly clock: Clock,
    private readonly flow: AuthorizationFlow,
    private readonly interactions: InteractionService,
    private readonly ceremonies: PasskeyCeremonies,
    private readonly pages: InteractionPages,
    private readonly signIn: SignInSession,
    private readonly codes: SecondFactorStep,
    loginRisk: LoginRisk,
    devices: DeviceCookie,
  ) {
    this.riskSources = { loginRisk, devices, now: () => clock.now() };
  }

  /** POST .../second-factor/passkey: an assertion by one of the user's passkeys after the password. */
  async secondFactor(slug: string, handle: string, form: Params, browser: BrowserRequest, context: RequestContext): Promise<FlowOutcome> {
    const loaded = await this.interactions.formFor(slug, handle, form, browser, 'second_factor');
    if ('kind' in loaded) return loaded;
    const refused = await this.interactions.throttled(loaded, context);
    if (refused) return refused;
    const csrf = form['csrf'] ?? '';
    const user = await this.codes.activeUser(loaded);
    if (!user) return this.pages.startAgain(loaded, 400, 'signInExpired');
    if (isLocked(user, this.clock.now())) return this.pages.secondFactor(loaded, handle, csrf, 401, 'locked');
    const result = await this.ceremonies.authenticate(loaded.tenant, bindingOf(loaded), form['response'], user.id);
    const reason = result.ok ? 'use_refused' : result.reason;
    if (result.ok) {
      const { passkey, assertion } = result;
      const outcome = await this.finish(loaded, handle, user, browser, context, {
        from: 'second_factor',
        amr: amrForPasskey(assertion.deviceType, 'password'),
        consume: (repos) => repos.passkeys.recordUse(loaded.tenant.id, passkey.id, assertion.newCounter, this.clock.now()),
        event: this.event(loaded, user, 'mfa.verified', context, { method: 'passkey', user_verified: assertion.userVerified }),
      });
      if (outcome) return outcome;
    }
    // Counted like a wrong code (docs/adr/0008): the password was right, the second factor was not.
    const error = await this.codes.recordFailure(loaded, user, context, { method: 'passkey', reason });
    return this.pages.secondFactor(loaded, handle, csrf, 401, error === 'locked' ? 'locked' : 'passkeyFailed');
  }

  /** POST .../enrol/passkey: a new passkey instead of a TOTP factor, and the sign-in with it. */
  async enrol(slug: string, handle: string, form: Params, browser: BrowserRequest, context: RequestContext): Promise<FlowOutcome> {
    const loaded = await this.interactions.formFor(slug, handle, form, browser, 'enrol');
    if ('kind' in loaded) return loaded;
    const refused = await this.interactions.throttled(loaded, context);
    if (refused) return refused;
    const csrf = form['csrf'] ?? '';
    const user = await this.codes.activeUser(loaded);
    if (!user) return this.pages.startAgain(loaded, 400, 'signInExpired');
    if (isLocked(user, this.clock.now())) return this.codes.showEnrolment(loaded, handle, csrf, 401, 'locked');
    const result = await this.ceremonies.register(loaded.tenant, bindingOf(loaded), form['response']);
    if (result.ok) {
      const { credential } = result;
      const outcome = await this.finish(loaded, handle, user, browser, context, {
        from: 'enrol',
        amr: amrForPasskey(credential.deviceType, 'password'),
        consume: async (repos) =>
          (await repos.passkeys.insert(loaded.tenant.id, { ...credential, userId: user.id, name: DEFAULT_NAME })) !== null,
        event: this.event(loaded, user, 'mfa.enrolled', context, { method: 'passkey', device_type: credential.deviceType }),
      });
      if (outcome) return outcome;
    }
    const reason = result.ok ? 'credential_already_registered' : result.reason;
    const error = await this.codes.recordFailure(loaded, user, context, { method: 'passkey', reason, enrolment: true });
    return this.codes.showEnrolment(loaded, handle, csrf, 401, error === 'locked' ? 'locked' : 'passkeyFailed');
  }

  /** POST .../login/passkey: a discoverable passkey with user verification instead of the password. */
  async passwordless(slug: string, handle: string, form: Params, browser: BrowserRequest, context: RequestContext): Promise<FlowOutcome> {
    const loaded = await this.interactions.load(slug, handle, browser);
    if ('kind' in loaded) return loaded;
    const { tenant, interaction } = loaded;
    if (interaction.state === 'done') return this.pages.startAgain(loaded, 409, 'alreadyCompleted');
    if (
      interaction.state !== 'login' ||
      tenant.passkeyLogin !== 'passwordless' ||
      !this.flow.binding.verify(browser.cookieHeader, interaction.browserHash, handle, form['csrf'])
    )
      return this.pages.startAgain(loaded, 403, 'formRefused');
    const refused = await this.interactions.throttled(loaded, context);
    if (refused) return refused;
    const result = await this.ceremonies.authenticate(tenant, bindingOf(loaded), form['response'], null);
    const user = result.ok ? await this.codes.activeUser(loaded, result.passkey.userId) : null;
    const risk = user ? await passwordlessRisk(this.riskSources, tenant, user, context, browser.cookieHeader) : null;
    if (result.ok && user && risk && !risk.blocked) {
      const { passkey, assertion } = result;
      const outcome = await this.finish(loaded, handle, user, browser, context, {
        from: 'login',
        amr: amrForPasskey(assertion.deviceType, 'nothing'),
        consume: (repos) => repos.passkeys.recordUse(tenant.id, passkey.id, assertion.newCounter, this.clock.now()),
        event: this.event(loaded, user, 'mfa.verified', context, { method: 'passkey', passwordless: true }),
        riskDetails: risk.riskDetails,
      });
      if (outcome) return outcome;
    }
    // Not counted toward a lockout: nothing here proves which account is meant (a credential id is no secret).
    const reason = !result.ok ? result.reason : !user ? 'account_not_active' : risk?.blocked ? 'risk_blocked' : 'use_refused';
    const userId = result.ok ? result.passkey.userId : result.userId;
    await this.persistence.repositories.auditOutbox.append(tenant.id, [
      { ...this.event(loaded, null, 'login.failed', context, { method: 'passkey', reason, ...(risk?.riskDetails ?? {}) }), userId },
    ]);
    return this.pages.login(loaded, handle, form['csrf'] ?? '', 401, { error: 'passkeyFailed' });
  }

  /** The sign-in with the passkey's use in its transaction; null when that use was refused (a replay, a lower counter). */
  private async finish(
    loaded: LoadedInteraction,
    handle: string,
    user: User,
    browser: BrowserRequest,
    context: RequestContext,
    step: {
      from: 'login' | 'second_factor' | 'enrol';
      amr: readonly string[];
      consume: (repos: Repositories) => Promise<boolean>;
      event: AuditEvent;
      /** The passwordless step's own risk decision; after a password, the one kept on the interaction. */
      riskDetails?: Record<string, unknown>;
    },
  ): Promise<FlowOutcome | null> {
    const { tenant, client, request, interaction, pageSubject } = loaded;
    const result = await this.signIn.finish(loaded, {
      userId: user.id,
      username: user.username,
      from: step.from,
      amr: step.amr,
      cookieHeader: browser.cookieHeader,
      context,
      consume: step.consume,
      events: [step.event],
      ...(step.riskDetails ? { riskDetails: step.riskDetails } : {}),
    });
    if (result.kind === 'already_submitted') return this.pages.startAgain(loaded, 409, 'alreadySubmitted');
    if (result.kind === 'refused') return null;
    return this.flow.afterLogin(tenant, client, request, result.subject, browser.cookieHeader, context, result.setCookies, {
      id: interaction.id,
      handle,
      on: pageSubject,
    });
  }

  private event(
    loaded: LoadedInteraction,
    user: User | null,
    type: 'mfa.enrolled' | 'mfa.verified' | 'mfa.failed' | 'login.failed',
    context: RequestContext,
    details: Record<string, unknown>,
  ): AuditEvent {
    return {
      type,
      outcome: type === 'mfa.verified' || type === 'mfa.enrolled' ? 'success' : 'failure',
      occurredAt: this.clock.now(),
      clientId: loaded.client.clientId,
      userId: user?.id,
      username: user?.username.slice(0, 128),
      ...context,
      details,
    };
  }
}

function bindingOf(loaded: LoadedInteraction): CeremonyBinding {
  return `interaction:${loaded.interaction.id}`;
}
