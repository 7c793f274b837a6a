import type { AuditEventType } from '../audit-event.js';

/** What every formatter needs beyond the record: who is speaking. */
export interface SiemFormatContext {
  /** Gatehouse's version, the CEF Device Version and OCSF `metadata.product.version`. */
  readonly productVersion: string;
}

export const SIEM_VENDOR = 'Gatehouse';
export const SIEM_PRODUCT = 'Gatehouse';

/**
 * How an event reads to an authentication data model (OCSF activity, ECS event.type):
 * `logon` when a principal gains or is refused access, `logoff` when access ends,
 * `other` for the steps around them (authorization requests, consent, introspection, admin changes).
 */
export type AuthenticationActivity = 'logon' | 'logoff' | 'other';

const ACTIVITY: Readonly<Record<AuditEventType, AuthenticationActivity>> = {
  'authorization.requested': 'other',
  'authorization.failed': 'other',
  'login.succeeded': 'logon',
  'login.failed': 'logon',
  // The second step of the same logon (issue 13).
  'mfa.enrolled': 'logon',
  'mfa.verified': 'logon',
  'mfa.failed': 'logon',
  'passkey.removed': 'other',
  'consent.granted': 'other',
  'consent.denied': 'other',
  'token.issued': 'logon',
  'token.failed': 'logon',
  'code.replayed': 'logon',
  'token.refreshed': 'logon',
  'refresh.reuse_detected': 'logon',
  'token.introspected': 'other',
  'token.revoked': 'logoff',
  'session.ended': 'logoff',
  'user.sessions_revoked': 'logoff',
  'backchannel_logout.delivered': 'logoff',
  'backchannel_logout.failed': 'logoff',
  'admin.change': 'other',
};

export function authenticationActivity(type: AuditEventType): AuthenticationActivity {
  return ACTIVITY[type];
}

/** `login.failed` → `Login failed`; `backchannel_logout.delivered` → `Backchannel logout delivered`. */
export function eventName(type: string): string {
  const words = type.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `geo.new_country(+30): first login from FR; device.new(+20): unseen device`. */
export function riskReasonsText(reasons: readonly { rule: string; points: number; detail: string }[]): string {
  return reasons.map((r) => `${r.rule}(${r.points >= 0 ? '+' : ''}${r.points}): ${r.detail}`).join('; ');
}

/** Node reports IPv4 peers on dual-stack sockets as `::ffff:a.b.c.d`; SIEMs want the IPv4 form. */
export function normalizeIp(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return mapped?.[1] ?? ip;
}

/** The sign-in's risk decision (`details.risk_decision`, issue 13): what the score led to, for SIEM fields of their own. */
export interface SiemRiskDecision {
  /** `allow`, `step_up` or `block`. */
  readonly action: string;
  /** `complete`, `second_factor`, `enrol` or `refuse`. */
  readonly outcome?: string | undefined;
}

export function riskDecisionOf(details: Readonly<Record<string, unknown>> | undefined): SiemRiskDecision | undefined {
  const decision = details?.['risk_decision'];
  if (typeof decision !== 'object' || decision === null) return undefined;
  const { action, outcome } = decision as Record<string, unknown>;
  if (typeof action !== 'string') return undefined;
  return { action, outcome: typeof outcome === 'string' ? outcome : undefined };
}
