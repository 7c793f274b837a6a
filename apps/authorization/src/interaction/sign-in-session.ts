import { Clock } from '@gatehouse/protocol';
import type { AuditEvent, RequestContext } from '@gatehouse/audit';
import { Injectable } from '@nestjs/common';
import { Persistence, type InteractionState, type Repositories } from '@gatehouse/persistence';
import type { Subject } from '../endpoints/authorize/code-issuer.js';
import { DeviceCookie } from '../risk/device-cookie.js';
import { CookiePolicy } from '../runtime/cookie-policy.js';
import type { LoadedInteraction } from './interaction-pages.js';
import { SessionCookie } from './session-cookie.js';

export interface SignInInput {
  readonly userId: string;
  readonly username: string;
  /** The state the interaction leaves for `consent`: `login`, `second_factor` or `enrol`. */
  readonly from: InteractionState;
  readonly amr: readonly string[];
  readonly cookieHeader: string | undefined;
  readonly context: RequestContext;
  /** Runs first in the transaction (a code used, a factor confirmed): false refuses the sign-in and rolls back. */
  readonly consume?: (repos: Repositories) => Promise<boolean>;
  /** More events for the same transaction (mfa.verified, mfa.enrolled). */
  readonly events?: readonly AuditEvent[];
  /** The password step's `login_risk` and `risk_decision`; by default those kept on the interaction. */
  readonly riskDetails?: Record<string, unknown>;
}

export type SignInResult =
  | { readonly kind: 'signed_in'; readonly subject: Subject; readonly setCookies: readonly string[] }
  /** Another submission of this form already won. */
  | { readonly kind: 'already_submitted' }
  /** The account was locked or disabled since the password check, or `consume` refused. */
  | { readonly kind: 'refused' };

/**
 * The last step of every sign-in: a session, the interaction moved to `consent`, the
 * failure count reset and `login.succeeded` written, in one transaction.
 */
@Injectable()
export class SignInSession {
  private readonly sessions: SessionCookie;

  constructor(
    private readonly persistence: Persistence,
    private readonly clock: Clock,
    private readonly devices: DeviceCookie,
    cookies: CookiePolicy,
  ) {
    this.sessions = new SessionCookie(cookies.secure);
  }

  async finish(loaded: LoadedInteraction, input: SignInInput): Promise<SignInResult> {
    const { tenant, interaction, client } = loaded;
    const { userId, username, context, amr } = input;
    const now = this.clock.now();
    const device = this.devices.identify(input.cookieHeader);
    const riskDetails = input.riskDetails ?? interaction.signInRisk ?? {};
    const cookie = this.sessions.issue(tenant);
    const subject = await this.persistence
      .transaction(async (repos) => {
        if (input.consume && !(await input.consume(repos))) throw new Refused();
        const sessionId = await repos.sessions.insert(tenant.id, {
          userId,
          tokenHash: cookie.hash,
          authTime: now,
          amr: [...amr],
          expiresAt: new Date(now.getTime() + tenant.sessionTtlSeconds * 1000),
        });
        // Roll the session back too: another submission of this form already won.
        if (!(await repos.interactions.advance(tenant.id, interaction.id, input.from, 'consent', { userId, sessionId })))
          throw new AlreadySubmitted();
        // Resets the failure count; refused if the account was locked or disabled since the password check.
        if (!(await repos.users.recordSuccessfulLogin(tenant.id, userId, now))) throw new Refused();
        await repos.auditOutbox.append(tenant.id, [
          ...(input.events ?? []),
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
            details: { amr, ...riskDetails },
          },
        ]);
        return { userId, sessionId, authTime: now, amr: [...amr] };
      })
      .catch((error: unknown) => {
        if (error instanceof AlreadySubmitted) return 'already_submitted' as const;
        if (error instanceof Refused) return 'refused' as const;
        throw error;
      });
    if (subject === 'already_submitted' || subject === 'refused') return { kind: subject };
    const setCookies = device.setCookie ? [cookie.setCookie, device.setCookie] : [cookie.setCookie];
    return { kind: 'signed_in', subject, setCookies };
  }
}

class AlreadySubmitted extends Error {}

class Refused extends Error {}
