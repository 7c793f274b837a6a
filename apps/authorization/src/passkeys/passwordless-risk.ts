import type { RequestContext } from '@gatehouse/audit';
import type { Tenant, User } from '@gatehouse/persistence';
import { resolveRiskPolicy } from '@gatehouse/risk';
import { decideOnRisk, riskDecisionDetails, type SignInStep } from '../interaction/sign-in-decision.js';
import type { DeviceCookie } from '../risk/device-cookie.js';
import type { LoginRisk } from '../risk/login-risk.js';

/** What scoring a passwordless sign-in reads. */
export interface PasswordlessRiskSources {
  readonly loginRisk: LoginRisk;
  readonly devices: DeviceCookie;
  readonly now: () => Date;
}

/**
 * The risk policy for a sign-in by passkey alone: the same score as after a password, and a score
 * at or above the block threshold refuses it. A step-up asks for nothing more: the passkey with user
 * verification already is the second factor (docs/adr/0010).
 */
export async function passwordlessRisk(
  sources: PasswordlessRiskSources,
  tenant: Tenant,
  user: User,
  context: RequestContext,
  cookieHeader: string | undefined,
): Promise<{ readonly blocked: boolean; readonly riskDetails: Record<string, unknown> }> {
  // Scored before any transaction: it reads the audit store, and the embedded database has one connection.
  const risk = await sources.loginRisk
    .assess(tenant, {
      userId: user.id,
      username: user.username.toLowerCase(),
      ip: context.ip,
      userAgent: context.userAgent,
      presentedDeviceId: sources.devices.identify(cookieHeader).presentedId,
      at: sources.now(),
    })
    .catch(() => null);
  const decision = decideOnRisk(risk, resolveRiskPolicy(tenant.riskPolicy));
  const step: SignInStep = decision.action === 'block' ? { next: 'refuse', reason: 'risk_blocked' } : { next: 'complete' };
  return {
    blocked: step.next === 'refuse',
    riskDetails: { ...(risk ? { login_risk: risk } : {}), risk_decision: riskDecisionDetails(decision, step) },
  };
}
