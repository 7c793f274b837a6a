import type { RiskAssessment, RiskReason } from '@gatehouse/audit';
import type { RiskPolicy } from './risk-policy.js';
import type { RiskSignals } from './risk-signals.js';
import { checkDevice } from './rules/device.rule.js';
import { checkGeo } from './rules/geo.rule.js';
import { checkVelocity } from './rules/velocity.rule.js';

/** A rule: signals and the tenant's policy in, the reasons it found out (none when it did not trip). */
export type RiskRule = (signals: RiskSignals, policy: RiskPolicy) => RiskReason[];

/** The rules in the order their reasons are listed. */
export const RISK_RULES: readonly RiskRule[] = [checkGeo, checkDevice, checkVelocity];

/** Score = the reasons' points summed, capped to 0..100 and rounded; the reasons say why. */
export function assessRisk(signals: RiskSignals, policy: RiskPolicy): RiskAssessment {
  const reasons = RISK_RULES.flatMap((rule) => rule(signals, policy));
  const sum = reasons.reduce((total, reason) => total + reason.points, 0);
  return { score: Math.round(Math.min(100, Math.max(0, sum))), reasons };
}
