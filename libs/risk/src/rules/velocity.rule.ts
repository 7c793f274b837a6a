import type { RiskReason } from '@gatehouse/audit';
import type { RiskPolicy } from '../risk-policy.js';
import type { RiskSignals } from '../risk-signals.js';

/**
 * `velocity.user`: more than `velocityMaxAttempts` attempts for the user in the last
 * `velocityWindowSeconds`, this one included. `velocity.ip` (credential stuffing): more than
 * `credentialStuffingDistinctUsers` distinct usernames from the IP in the last
 * `credentialStuffingWindowSeconds`, this attempt's included. A window is (now - window, now].
 */
export function checkVelocity(signals: RiskSignals, policy: RiskPolicy): RiskReason[] {
  const reasons: RiskReason[] = [];
  const { now, history } = signals;

  const userWindow = inWindow(now, policy.velocityWindowSeconds);
  const attempts = 1 + history.priorAttemptsForUser.filter(userWindow).length;
  if (attempts > policy.velocityMaxAttempts) {
    reasons.push({
      rule: 'velocity.user',
      points: policy.velocityPoints,
      detail: `${attempts} attempts for this user in the last ${window(policy.velocityWindowSeconds)} (more than ${policy.velocityMaxAttempts})`,
    });
  }

  const ipWindow = inWindow(now, policy.credentialStuffingWindowSeconds);
  const usernames = new Set(history.priorAttemptsFromIp.filter((attempt) => ipWindow(attempt.at)).map((attempt) => attempt.username));
  if (signals.username !== undefined) usernames.add(signals.username);
  if (usernames.size > policy.credentialStuffingDistinctUsers) {
    reasons.push({
      rule: 'velocity.ip',
      points: policy.credentialStuffingPoints,
      detail: `${usernames.size} distinct usernames from this IP in the last ${window(policy.credentialStuffingWindowSeconds)} (more than ${policy.credentialStuffingDistinctUsers})`,
    });
  }
  return reasons;
}

function inWindow(now: Date, seconds: number): (at: Date) => boolean {
  const end = now.getTime();
  const start = end - seconds * 1000;
  return (at) => at.getTime() > start && at.getTime() <= end;
}

function window(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}
