import type { RiskAssessment } from '@gatehouse/audit';
import type { MfaPolicy } from '@gatehouse/protocol';
import type { RiskPolicy } from '@gatehouse/risk';

/** What the risk score means for this login, as the audit trail records it (`risk_decision`). */
export interface RiskDecision {
  readonly action: 'allow' | 'step_up' | 'block';
  readonly score: number;
  readonly stepUpScore: number;
  readonly blockScore: number;
  /** The rules that scored (`geo.new_country`, `device.new`, ...). */
  readonly rules: readonly string[];
}

/** Why the second factor is asked for; recorded with the decision. */
export type SecondFactorReason = 'enrolled' | 'tenant_policy' | 'acr_values' | 'risk';

/** What follows a correct password. */
export type SignInStep =
  | { readonly next: 'complete' }
  | { readonly next: 'second_factor' | 'enrol'; readonly because: readonly SecondFactorReason[] }
  | { readonly next: 'refuse'; readonly reason: 'risk_blocked' | 'step_up_without_factor' };

export interface SignInFacts {
  readonly hasFactor: boolean;
  /** The client asked for `urn:gatehouse:acr:mfa` (acr_values). */
  readonly clientAsksForMfa: boolean;
  readonly risk: RiskDecision;
  readonly mfaPolicy: MfaPolicy;
}

/** The score against the tenant's thresholds. An unscored login (the assessment failed) is allowed: risk never fails a login by itself. */
export function decideOnRisk(risk: RiskAssessment | null, policy: Pick<RiskPolicy, 'stepUpScore' | 'blockScore'>): RiskDecision {
  const score = risk?.score ?? 0;
  const action = score >= policy.blockScore ? 'block' : score >= policy.stepUpScore ? 'step_up' : 'allow';
  return { action, score, stepUpScore: policy.stepUpScore, blockScore: policy.blockScore, rules: risk?.reasons.map((r) => r.rule) ?? [] };
}

/**
 * The sign-in policy after a correct password, as one pure decision: blocked by risk; a second
 * factor (given, or enrolled first) when the user has one, the tenant requires it, the client
 * asked, or the risk calls for a step-up; otherwise done. A risky login by a user without a
 * factor is refused unless the tenant lets such users enrol.
 */
export function chooseSignInStep(facts: SignInFacts): SignInStep {
  if (facts.risk.action === 'block') return { next: 'refuse', reason: 'risk_blocked' };
  const because: SecondFactorReason[] = [];
  if (facts.hasFactor) because.push('enrolled');
  if (facts.mfaPolicy.secondFactor === 'required') because.push('tenant_policy');
  if (facts.clientAsksForMfa) because.push('acr_values');
  if (facts.risk.action === 'step_up') because.push('risk');
  if (because.length === 0) return { next: 'complete' };
  if (facts.hasFactor) return { next: 'second_factor', because };
  if (facts.risk.action === 'step_up' && facts.mfaPolicy.stepUpWithoutFactor === 'refuse')
    return { next: 'refuse', reason: 'step_up_without_factor' };
  return { next: 'enrol', because };
}

/** The decision as recorded in the audit details (snake_case, as the SIEM export shows it). */
export function riskDecisionDetails(decision: RiskDecision, step: SignInStep): Record<string, unknown> {
  return {
    action: decision.action,
    score: decision.score,
    step_up_score: decision.stepUpScore,
    block_score: decision.blockScore,
    rules: decision.rules,
    outcome: step.next,
    ...('because' in step ? { second_factor_because: step.because } : {}),
    ...('reason' in step ? { refused_because: step.reason } : {}),
  };
}
