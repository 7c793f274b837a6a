import type { RiskAssessment } from '@gatehouse/audit';
import { ACR_MFA, resolveMfaPolicy } from '@gatehouse/protocol';
import type { Repositories, Tenant } from '@gatehouse/persistence';
import { resolveRiskPolicy } from '@gatehouse/risk';
import type { ValidatedAuthorizationRequest } from '../endpoints/authorize/authorization-request.js';
import { chooseSignInStep, decideOnRisk, riskDecisionDetails, type SignInStep } from './sign-in-decision.js';

/** RFC 8176 §2 method references of a sign-in with password and TOTP. */
export const AMR_PASSWORD = ['pwd'] as const;
export const AMR_PASSWORD_AND_TOTP = ['pwd', 'otp', 'mfa'] as const;

/** Whether the client asked for the second factor (OIDC Core §3.1.2.1 `acr_values`). */
export function asksForMfa(request: Pick<ValidatedAuthorizationRequest, 'acrValues'>): boolean {
  return request.acrValues?.includes(ACR_MFA) ?? false;
}

export interface AfterPassword {
  readonly step: SignInStep;
  /** `login_risk` and `risk_decision`, for the audit event of this step or the one that finishes the sign-in. */
  readonly riskDetails: Record<string, unknown>;
}

/**
 * What follows a correct password, from the user's factors (a confirmed TOTP factor or a passkey),
 * the tenant's MFA and risk policies, the client's acr_values and this login's risk score (sign-in-decision.ts).
 */
export async function afterPassword(
  repositories: Repositories,
  tenant: Tenant,
  userId: string,
  request: Pick<ValidatedAuthorizationRequest, 'acrValues'>,
  risk: RiskAssessment | null,
): Promise<AfterPassword> {
  const hasFactor = await repositories.secondFactors.hasConfirmedFactor(tenant.id, userId);
  const decision = decideOnRisk(risk, resolveRiskPolicy(tenant.riskPolicy));
  const step = chooseSignInStep({
    hasFactor,
    clientAsksForMfa: asksForMfa(request),
    risk: decision,
    mfaPolicy: resolveMfaPolicy(tenant.mfaPolicy),
  });
  return { step, riskDetails: { ...(risk ? { login_risk: risk } : {}), risk_decision: riskDecisionDetails(decision, step) } };
}
