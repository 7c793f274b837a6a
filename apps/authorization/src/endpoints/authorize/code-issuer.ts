import type { RequestContext } from '@gatehouse/audit';
import type { Persistence, Tenant } from '@gatehouse/persistence';
import { generateOpaqueSecret, hashOpaqueSecret } from '@gatehouse/tokens';
import type { ValidatedAuthorizationRequest } from './authorization-request.js';

/** OAuth 2.1 §4.1.2: short-lived; RFC 9700 recommends well under ten minutes. */
export const CODE_LIFETIME_SECONDS = 60;

export interface Subject {
  readonly userId: string;
  readonly sessionId: string;
  readonly authTime: Date;
  readonly amr: readonly string[];
}

/** Stores the code's hash with everything the token endpoint checks, and builds the redirect (RFC 9207 iss). */
export async function issueAuthorizationCode(
  persistence: Persistence,
  tenant: Tenant,
  issuer: string,
  request: ValidatedAuthorizationRequest,
  subject: Subject,
  context: RequestContext,
  now: Date,
): Promise<string> {
  const code = generateOpaqueSecret();
  await persistence.codes.insert(
    tenant.id,
    {
      codeHash: hashOpaqueSecret(code),
      clientId: request.clientId,
      userId: subject.userId,
      sessionId: subject.sessionId,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      resource: request.resource ?? null,
      nonce: request.nonce ?? null,
      codeChallenge: request.codeChallenge,
      dpopJkt: request.dpopJkt ?? null,
      authorizationDetails: request.authorizationDetails ?? null,
      authTime: subject.authTime,
      amr: subject.amr,
      expiresAt: new Date(now.getTime() + CODE_LIFETIME_SECONDS * 1000),
    },
    [
      {
        type: 'authorization.requested',
        outcome: 'success',
        occurredAt: now,
        clientId: request.clientId,
        userId: subject.userId,
        ...context,
        details: { scopes: request.scopes, resource: request.resource },
      },
    ],
  );
  const location = new URL(request.redirectUri);
  location.searchParams.append('code', code);
  if (request.state !== undefined) location.searchParams.append('state', request.state);
  location.searchParams.append('iss', issuer);
  return location.toString();
}
