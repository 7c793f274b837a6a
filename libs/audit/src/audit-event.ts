import type { TenantId } from '@gatehouse/protocol';
/** Every event type the platform records: sign-in and second factors, consent, the token lifecycle, sessions and logout, admin changes, rate limits. */
export const AUDIT_EVENT_TYPES = [
  'authorization.requested',
  'authorization.failed',
  'login.succeeded',
  'login.failed',
  'mfa.enrolled',
  'mfa.verified',
  'mfa.failed',
  'passkey.removed',
  'consent.granted',
  'consent.denied',
  'token.issued',
  'token.failed',
  'code.replayed',
  'token.refreshed',
  'refresh.reuse_detected',
  'token.introspected',
  'token.revoked',
  'session.ended',
  'user.sessions_revoked',
  'backchannel_logout.delivered',
  'backchannel_logout.failed',
  'admin.change',
  'rate_limit.exceeded',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/**
 * Login attempts: what the risk rules score and remember (libs/risk), the same set at sign-in, in the
 * worker's scoring and in the login-history query (whose partial indexes name these types too).
 */
export const LOGIN_EVENT_TYPES = ['login.succeeded', 'login.failed'] as const satisfies readonly AuditEventType[];

export function isLoginEvent(type: string): boolean {
  return (LOGIN_EVENT_TYPES as readonly string[]).includes(type);
}

export interface AuditEvent {
  readonly type: AuditEventType;
  readonly outcome: 'success' | 'failure';
  readonly occurredAt: Date;
  readonly clientId?: string | undefined;
  readonly userId?: string | undefined;
  /** The username typed at a failed login, so velocity rules can count attempts per account. */
  readonly username?: string | undefined;
  readonly ip?: string | undefined;
  readonly userAgent?: string | undefined;
  /** The browser's device id from the signed device cookie (libs/risk), on login events. */
  readonly deviceId?: string | undefined;
  /** The OAuth error code sent to the client, when the outcome is a failure. */
  readonly errorCode?: string | undefined;
  /** Safe, non-secret context: scopes, grant type, the internal reason of a refusal. */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  /** W3C traceparent of the request that wrote it, when tracing is on (trace-context.ts); never recorded. */
  readonly traceContext?: string | undefined;
}

/** An event as it sits in the outbox and travels through the queue: the outbox row id is its identity. */
export interface OutboxEvent extends AuditEvent {
  readonly id: string;
  readonly tenantId: string;
}

/**
 * Where events go: the outbox table, in the same transaction as the state change
 * they describe (design.md, audit pipeline). Implemented in libs/persistence.
 */
export interface AuditOutbox {
  append(tenantId: TenantId, events: readonly AuditEvent[]): Promise<void>;
}
