import type { AuditEvent, RequestContext } from '@gatehouse/audit';

/** Who acted: the registrant's initial access token (by id) or the client's own registration access token — never a token value. */
export type RegistrationActor =
  | { readonly kind: 'initial_access_token'; readonly id: string }
  | { readonly kind: 'registration_access_token'; readonly clientId: string };

export interface RegistrationChange {
  readonly actor: RegistrationActor;
  readonly action: 'client.registered' | 'client.updated' | 'client.deleted';
  readonly clientId: string;
  readonly before?: Record<string, unknown> | null;
  readonly after?: Record<string, unknown> | null;
}

/**
 * RFC 7591/7592 changes audited as admin changes are (`admin.change`: actor, action,
 * target, before/after), written in the change's own transaction by the caller.
 */
export function registrationChangeEvent(change: RegistrationChange, context: RequestContext, now: Date): AuditEvent {
  return {
    type: 'admin.change',
    outcome: 'success',
    occurredAt: now,
    clientId: change.clientId,
    ...context,
    details: {
      actor: actorName(change.actor),
      via: 'dynamic_registration',
      action: change.action,
      target: change.clientId,
      before: withoutKeys(change.before ?? null),
      after: withoutKeys(change.after ?? null),
    },
  };
}

/** A registration or update the policy refused: nothing changed, but the attempt is on record. */
export function registrationRefusedEvent(
  actor: RegistrationActor,
  action: 'client.register' | 'client.update',
  errorCode: string,
  reason: string,
  context: RequestContext,
  now: Date,
): AuditEvent {
  return {
    type: 'admin.change',
    outcome: 'failure',
    occurredAt: now,
    ...(actor.kind === 'registration_access_token' ? { clientId: actor.clientId } : {}),
    ...context,
    errorCode,
    details: { actor: actorName(actor), via: 'dynamic_registration', action, reason },
  };
}

/** `initial_access_token:<id>` (the admin API's id of the token) or `client:<client_id>` (its registration access token). */
function actorName(actor: RegistrationActor): string {
  return actor.kind === 'initial_access_token' ? `initial_access_token:${actor.id}` : `client:${actor.clientId}`;
}

/** Public keys are not needed to read the change; like admin audit, JWK Sets are left out. */
function withoutKeys(value: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!value) return null;
  const { jwks: _jwks, ...rest } = value;
  return rest;
}
