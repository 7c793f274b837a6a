import type { RequestContext } from '@gatehouse/audit';
import type { Tenant, User } from '@gatehouse/persistence';
import { resolveRiskPolicy } from '@gatehouse/risk';
import { decideOnRisk, riskDecisionDetails, type SignInStep } from '../interaction/sign-in-decision.js';
import type { AuthorizationRuntime } from '../runtime/authorization-runtime.js';

/**
 * The risk policy for a sign-in by passkey alone: the same score as after a password, and a score
 * at or above the block threshold refuses it. A step-up asks for nothing more: the passkey with user
 * verification already is the second factor (docs/adr/0010).
 */
export async function passwordlessRisk(
  runtime: AuthorizationRuntime,
  tenant: Tenant,
  user: User,
  context: RequestContext,
  cookieHeader: string | undefined,
): Promise<{ readonly blocked: boolean; readonly riskDetails: Record<string, unknown> }> {
  // Scored before any transaction: it reads the audit store, and the embedded database has one connection.
  const risk = await runtime.loginRisk
    .assess(tenant, {
      userId: user.id,
      username: user.username.toLowerCase(),
      ip: context.ip,
      userAgent: context.userAgent,
      presentedDeviceId: runtime.devices.identify(cookieHeader).presentedId,
      at: runtime.now(),
    })
    .catch(() => null);
  const decision = decideOnRisk(risk, resolveRiskPolicy(tenant.riskPolicy));
  const step: SignInStep = decision.action === 'block' ? { next: 'refuse', reason: 'risk_blocked' } : { next: 'complete' };
  return {
    blocked: step.next === 'refuse',
    riskDetails: { ...(risk ? { login_risk: risk } : {}), risk_decision: riskDecisionDetails(decision, step) },
  };
}
