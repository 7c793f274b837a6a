/** Injection token of the audit outbox for events that go with no other write (group commit, docs/adr/0007). */
export const AUDIT_OUTBOX = Symbol('AUDIT_OUTBOX');

/** Injection token of the private_key_jwt assertion replay store (RFC 7523 §3 item 7: each jti once). */
export const ASSERTION_REPLAY = Symbol('ASSERTION_REPLAY');

/** Injection token of a function answering the CAs tls_client_auth certificates chain to (MTLS_CA_FILE, read on first use; none when unset). */
export const TRUSTED_CLIENT_CAS = Symbol('TRUSTED_CLIENT_CAS');

/** Injection token of the DPoP proof replay store (RFC 9449 §11.1: each jti once per tenant and key). */
export const DPOP_REPLAY = Symbol('DPOP_REPLAY');

/** Injection token of what the authorize checks read (`CheckDependencies`: clients, APIs, persistence, the clock), shared by /authorize and PAR. */
export const AUTHORIZE_CHECK_DEPENDENCIES = Symbol('AUTHORIZE_CHECK_DEPENDENCIES');

/** Injection token of where the throttles count (`CounterSources`: Redis or this process, the logger, the clock). */
export const COUNTER_SOURCES = Symbol('COUNTER_SOURCES');
