import { ACR_MFA } from '@gatehouse/protocol';
import type { Repositories } from '@gatehouse/persistence';
import type { TenantId } from '@gatehouse/protocol';
import type { ValidatedAuthorizationRequest } from '../endpoints/authorize/authorization-request.js';

/** What follows a correct password: the session at once, a TOTP code, or enrolment first. */
export type AfterPassword = 'complete' | 'second_factor' | 'enrol';

/** RFC 8176 §2 method references of a sign-in with password and TOTP. */
export const AMR_PASSWORD = ['pwd'] as const;
export const AMR_PASSWORD_AND_TOTP = ['pwd', 'otp', 'mfa'] as const;

/** Whether the client asked for the second factor (OIDC Core §3.1.2.1 `acr_values`). */
export function asksForMfa(request: Pick<ValidatedAuthorizationRequest, 'acrValues'>): boolean {
  return request.acrValues?.includes(ACR_MFA) ?? false;
}

/**
 * A user with a confirmed TOTP factor or a passkey always gives a second factor; a user without one is sent
 * through enrolment when the client asked for `urn:gatehouse:acr:mfa`, else signs in.
 */
export async function afterPassword(
  repositories: Repositories,
  tenantId: TenantId,
  userId: string,
  request: Pick<ValidatedAuthorizationRequest, 'acrValues'>,
): Promise<AfterPassword> {
  if (await repositories.secondFactors.hasConfirmedFactor(tenantId, userId)) return 'second_factor';
  return asksForMfa(request) ? 'enrol' : 'complete';
}
