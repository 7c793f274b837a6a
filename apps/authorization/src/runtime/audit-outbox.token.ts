/** Injection token of the audit outbox for events that go with no other write (group commit, docs/adr/0007). */
export const AUDIT_OUTBOX = Symbol('AUDIT_OUTBOX');
