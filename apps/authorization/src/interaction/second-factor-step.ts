import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { Clock } from '@gatehouse/protocol';
import QRCode from 'qrcode';
import type { RequestContext } from '@gatehouse/audit';
import { Inject, Injectable } from '@nestjs/common';
import type { GatehouseConfig } from '@gatehouse/config';
import { Persistence, type Repositories, type User } from '@gatehouse/persistence';
import { generateRecoveryCodes, generateTotpSecret, matchTotp, RecoveryCodeHasher, TotpSecretSealer, totpUri } from '@gatehouse/tokens';
import type { Params } from '../http/request-params.js';
import { AuthorizationFlow } from './authorization-flow.js';
import type { FlowOutcome } from './flow-outcome.js';
import { InteractionPages, type LoadedInteraction } from './interaction-pages.js';
import { failureDetails, lockoutPolicyOf } from './login-failures.js';
import { AMR_PASSWORD_AND_TOTP } from './sign-in-completion.js';
import { SignInSession } from './sign-in-session.js';

type CodeError = 'failed' | 'locked' | 'passkeyFailed';

/**
 * The `second_factor` and `enrol` states: a TOTP code (or a recovery code) after the password,
 * or a new TOTP factor confirmed with its first code. Each code is used once (one conditional
 * UPDATE in the sign-in's transaction); a wrong one counts toward the account lockout.
 */
@Injectable()
export class SecondFactorStep {
  private readonly sealer: TotpSecretSealer;
  private readonly recoveryCodes: RecoveryCodeHasher;

  constructor(
    @Inject(GATEHOUSE_CONFIG) config: GatehouseConfig,
    private readonly persistence: Persistence,
    private readonly clock: Clock,
    private readonly pages: InteractionPages,
    private readonly flow: AuthorizationFlow,
    private readonly signIn: SignInSession,
  ) {
    this.sealer = new TotpSecretSealer(config.keyEncryptionKey);
    this.recoveryCodes = new RecoveryCodeHasher(config.keyEncryptionKey);
  }

  /** The enrolment page: the pending secret (created on first view) as QR code and text. */
  async showEnrolment(loaded: LoadedInteraction, handle: string, csrfToken: string, status = 200, error?: CodeError): Promise<FlowOutcome> {
    const { tenant, interaction } = loaded;
    const userId = interaction.userId ?? '';
    const { secondFactors } = this.persistence.repositories;
    const factor = await secondFactors.findTotp(tenant.id, userId);
    let secret: string;
    if (factor && !factor.confirmedAt) secret = this.sealer.open(tenant.id, userId, factor.sealedSecret);
    else {
      secret = generateTotpSecret();
      // A confirmed factor is never replaced here: an admin resets it first.
      if (!(await secondFactors.savePendingTotp(tenant.id, userId, this.sealer.seal(tenant.id, userId, secret))))
        return this.pages.startAgain(loaded, 409, 'alreadyCompleted');
    }
    const user = await this.persistence.repositories.users.findById(tenant.id, userId);
    const issuer = tenant.branding.pageTitle ?? tenant.name;
    const svg = await QRCode.toString(totpUri(secret, user?.username ?? userId, issuer), {
      type: 'svg',
      margin: 2,
      errorCorrectionLevel: 'M',
    });
    const qrDataUrl = `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
    return this.pages.enrol(loaded, handle, csrfToken, status, { qrDataUrl, secret, error });
  }

  /** POST .../second-factor: a TOTP code, or else a recovery code. */
  async verify(
    loaded: LoadedInteraction,
    handle: string,
    form: Params,
    cookieHeader: string | undefined,
    context: RequestContext,
  ): Promise<FlowOutcome> {
    const { tenant, interaction } = loaded;
    const csrf = form['csrf'] ?? '';
    const user = await this.activeUser(loaded);
    if (!user) return this.pages.startAgain(loaded, 400, 'signInExpired');
    if (isLocked(user, this.clock.now())) return this.pages.secondFactor(loaded, handle, csrf, 401, 'locked');
    const factor = await this.persistence.repositories.secondFactors.findTotp(tenant.id, user.id);
    // Reset by an admin since the password: start again (and enrol if the client requires it).
    if (!factor?.confirmedAt) return this.pages.startAgain(loaded, 400, 'signInExpired');
    const code = (form['code'] ?? '').trim().slice(0, 64);
    const now = this.clock.now();
    let method: 'totp' | 'recovery_code';
    let consume: ((repos: Repositories) => Promise<boolean>) | undefined;
    // A right code of a step already used is a replay: refused like a wrong one, told apart in the audit trail.
    let replayed = false;
    if (/^[\d\s]+$/.test(code)) {
      method = 'totp';
      const step = matchTotp(this.sealer.open(tenant.id, user.id, factor.sealedSecret), code, now, null);
      replayed = step !== null && factor.lastUsedStep !== null && step <= factor.lastUsedStep;
      if (step !== null && !replayed) consume = (repos) => repos.secondFactors.useTotpStep(tenant.id, user.id, step);
    } else {
      method = 'recovery_code';
      const codeHash = this.recoveryCodes.hash(tenant.id, user.id, code);
      if (code.length > 0) consume = (repos) => repos.secondFactors.useRecoveryCode(tenant.id, user.id, codeHash, now);
    }
    if (consume) {
      const result = await this.signIn.finish(loaded, {
        userId: user.id,
        username: user.username,
        from: 'second_factor',
        amr: AMR_PASSWORD_AND_TOTP,
        cookieHeader,
        context,
        consume,
        events: [this.event(loaded, user, 'mfa.verified', context, { method })],
      });
      if (result.kind === 'signed_in') {
        const { client, request, pageSubject } = loaded;
        return this.flow.afterLogin(tenant, client, request, result.subject, cookieHeader, context, result.setCookies, {
          id: interaction.id,
          handle,
          on: pageSubject,
        });
      }
      if (result.kind === 'already_submitted') return this.pages.startAgain(loaded, 409, 'alreadySubmitted');
    }
    // Wrong, reused (an earlier or concurrent sign-in had it) or the account was locked meanwhile.
    const error = await this.recordFailure(loaded, user, context, {
      method,
      reason: consume || replayed ? 'code_already_used' : 'wrong_code',
    });
    return this.pages.secondFactor(loaded, handle, csrf, 401, error);
  }

  /** POST .../enrol: the first code confirms the pending factor; the recovery codes are shown once. */
  async enrol(
    loaded: LoadedInteraction,
    handle: string,
    form: Params,
    cookieHeader: string | undefined,
    context: RequestContext,
  ): Promise<FlowOutcome> {
    const { tenant } = loaded;
    const csrf = form['csrf'] ?? '';
    const user = await this.activeUser(loaded);
    if (!user) return this.pages.startAgain(loaded, 400, 'signInExpired');
    if (isLocked(user, this.clock.now())) return this.showEnrolment(loaded, handle, csrf, 401, 'locked');
    const factor = await this.persistence.repositories.secondFactors.findTotp(tenant.id, user.id);
    if (!factor) return this.showEnrolment(loaded, handle, csrf);
    if (factor.confirmedAt) return this.pages.startAgain(loaded, 409, 'alreadySubmitted');
    const now = this.clock.now();
    const step = matchTotp(this.sealer.open(tenant.id, user.id, factor.sealedSecret), (form['code'] ?? '').slice(0, 64), now, null);
    if (step !== null) {
      const codes = generateRecoveryCodes();
      const hashes = codes.map((code) => this.recoveryCodes.hash(tenant.id, user.id, code));
      const result = await this.signIn.finish(loaded, {
        userId: user.id,
        username: user.username,
        from: 'enrol',
        amr: AMR_PASSWORD_AND_TOTP,
        cookieHeader,
        context,
        consume: async (repos) => {
          if (!(await repos.secondFactors.confirmTotp(tenant.id, user.id, step, now))) return false;
          await repos.secondFactors.replaceRecoveryCodes(tenant.id, user.id, hashes);
          return true;
        },
        events: [this.event(loaded, user, 'mfa.enrolled', context, { method: 'totp', recovery_codes: codes.length })],
      });
      if (result.kind === 'signed_in') return this.pages.recoveryCodes(loaded, handle, csrf, codes, result.setCookies);
      if (result.kind === 'already_submitted') return this.pages.startAgain(loaded, 409, 'alreadySubmitted');
    }
    const error = await this.recordFailure(loaded, user, context, { method: 'totp', reason: 'wrong_code', enrolment: true });
    return this.showEnrolment(loaded, handle, csrf, 401, error);
  }

  /** The interaction's user (or `userId`'s, for a passwordless sign-in), if still active. */
  async activeUser(loaded: LoadedInteraction, userId = loaded.interaction.userId): Promise<User | null> {
    const user = userId ? await this.persistence.repositories.users.findById(loaded.tenant.id, userId) : null;
    return user?.status === 'active' ? user : null;
  }

  /** Counted like a wrong password (docs/adr/0003): one conditional UPDATE that may lock or hard-lock the account, and `mfa.failed`. */
  async recordFailure(
    loaded: LoadedInteraction,
    user: User,
    context: RequestContext,
    details: Record<string, unknown>,
  ): Promise<CodeError> {
    const { tenant } = loaded;
    const now = this.clock.now();
    const counted = await this.persistence.transaction(async (repos) => {
      const result = await repos.users.recordFailedLogin(tenant.id, user.username, now, lockoutPolicyOf(tenant));
      await repos.auditOutbox.append(tenant.id, [
        this.event(loaded, user, 'mfa.failed', context, { ...details, ...failureDetails(result) }),
      ]);
      return result;
    });
    return counted?.hardLockedNow || (counted?.lockedUntil && counted.lockedUntil > now) ? 'locked' : 'failed';
  }

  private event(
    loaded: LoadedInteraction,
    user: User,
    type: 'mfa.enrolled' | 'mfa.verified' | 'mfa.failed',
    context: RequestContext,
    details: Record<string, unknown>,
  ) {
    return {
      type,
      outcome: type === 'mfa.failed' ? ('failure' as const) : ('success' as const),
      occurredAt: this.clock.now(),
      clientId: loaded.client.clientId,
      userId: user.id,
      username: user.username.slice(0, 128),
      ...context,
      details,
    };
  }
}

/** The person has shown the password: telling them the account is locked reveals nothing they could not know. */
export function isLocked(user: User, now: Date): boolean {
  return user.hardLockedAt !== null || (user.lockedUntil !== null && user.lockedUntil > now);
}
