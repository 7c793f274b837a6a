import type { DeviceInfo, GeoLocation, RiskAssessment } from '@gatehouse/audit';
import { assessRisk } from './assess-risk.js';
import type { LoginHistoryIndex } from './login-history-index.js';
import type { RiskPolicy } from './risk-policy.js';
import type { RiskSignals } from './risk-signals.js';

/** One login attempt as both scorers see it: who, when, from where, on what. */
export interface LoginAttemptToScore {
  readonly at: Date;
  readonly userId?: string | undefined;
  /** Compared lower-cased, as the audit records store usernames. */
  readonly username?: string | undefined;
  readonly ip?: string | undefined;
  readonly location: GeoLocation;
  readonly device: DeviceInfo;
}

/** Where the history an attempt at `at` is judged on starts: the longer of the policy's two velocity windows. */
export function historyStart(at: Date, policy: RiskPolicy): Date {
  return new Date(at.getTime() - Math.max(policy.velocityWindowSeconds, policy.credentialStuffingWindowSeconds) * 1000);
}

/** The credential-stuffing rule's window for an attempt at `at`: the attempts it counts are in (after, through]. */
export function credentialStuffingWindow(at: Date, policy: RiskPolicy): { readonly after: Date; readonly through: Date } {
  return { after: new Date(at.getTime() - policy.credentialStuffingWindowSeconds * 1000), through: at };
}

/**
 * The rules' input for one attempt. The login page (one attempt, its own query) and the audit
 * worker (a batch, one query, the index extended as it goes) both build it here, so a login is
 * judged the same way while the user waits and when its record is stored.
 */
export function loginRiskSignals(attempt: LoginAttemptToScore, history: LoginHistoryIndex): RiskSignals {
  const username = attempt.username?.toLowerCase();
  return {
    now: attempt.at,
    username,
    location: attempt.location,
    device: attempt.device,
    history: history.historyFor({ userId: attempt.userId, username, ip: attempt.ip }, attempt.at),
  };
}

export function scoreLogin(attempt: LoginAttemptToScore, history: LoginHistoryIndex, policy: RiskPolicy): RiskAssessment {
  return assessRisk(loginRiskSignals(attempt, history), policy);
}
