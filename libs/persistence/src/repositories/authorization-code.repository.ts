import type { EntityManager } from 'typeorm';
import { currentTraceContext, type AuditEvent } from '@gatehouse/audit';
import type { TenantId } from '@gatehouse/protocol';
import { outboxInsert, outboxPayload } from './audit-outbox.repository.js';
import { FAMILY_INSERT_COLUMNS, FAMILY_INSERT_TYPES, familyValues, type NewGrant } from './refresh-token.repository.js';
import { StatementParameters } from './values-list.js';
import { userFromJson, USER_COLUMNS, type User, type UserRow } from './user.repository.js';

export interface AuthorizationCode {
  readonly id: string;
  readonly clientId: string;
  readonly userId: string;
  readonly sessionId: string | null;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly resource: string | null;
  readonly nonce: string | null;
  readonly codeChallenge: string;
  /** RFC 9449 §10: the thumbprint of the key the token request's DPoP proof must use. */
  readonly dpopJkt: string | null;
  readonly authTime: Date;
  readonly amr: readonly string[];
  readonly expiresAt: Date;
  readonly issuedJtis: readonly string[];
  /** The refresh token family created at redemption, if any: revoked with the tokens on a replay. */
  readonly grantId: string | null;
  /** RFC 9396: the authorization details the user granted; null when none were requested. */
  readonly authorizationDetails: readonly Readonly<Record<string, unknown>>[] | null;
}

export type NewAuthorizationCode = Omit<AuthorizationCode, 'id' | 'issuedJtis' | 'grantId' | 'dpopJkt' | 'authorizationDetails'> & {
  readonly codeHash: string;
  readonly dpopJkt?: string | null;
  readonly authorizationDetails?: readonly Readonly<Record<string, unknown>>[] | null;
};

export type ConsumeResult =
  /** `user`: the code's user as it is now, read in the same statement (null once erased). */
  | { readonly outcome: 'consumed'; readonly code: AuthorizationCode; readonly user: User | null }
  | { readonly outcome: 'replayed'; readonly code: AuthorizationCode }
  | { readonly outcome: 'unknown' };

/** A code as the token endpoint finds it before redeeming it, with its user as the user is now (null once erased). */
export interface PresentedCode {
  readonly code: AuthorizationCode;
  /** Redeemed or spent by a failed check already: presenting it again is a replay. */
  readonly consumed: boolean;
  readonly user: User | null;
}

/** A new code of a tenant and the audit events stored with it. */
export interface NewCodeEntry {
  readonly tenantId: TenantId;
  readonly code: NewAuthorizationCode;
  readonly events: readonly AuditEvent[];
  /** The traceparent of the request that wrote the events, taken before batching (BatchedCodes does); written beside each. */
  readonly traceContext?: string | undefined;
}

/** A code to look up by its hash, in its tenant. */
export interface CodeLookup {
  readonly tenantId: TenantId;
  readonly codeHash: string;
}

/** What a redemption issued, recorded with the code's consumption in one statement. */
export interface CodeRedemption {
  readonly tenantId: TenantId;
  readonly codeId: string;
  readonly now: Date;
  readonly jtis: readonly string[];
  /** The refresh-token family the redemption starts, stored in the same statement; null when it issues no refresh token. */
  readonly grant: NewGrant | null;
  readonly events: readonly AuditEvent[];
  /** The traceparent of the request that wrote the events, taken before batching (BatchedCodes does); written beside each. */
  readonly traceContext?: string | undefined;
}

interface CodeRow {
  id: string;
  client_id: string;
  user_id: string;
  session_id: string | null;
  redirect_uri: string;
  scopes: string[];
  resource: string | null;
  nonce: string | null;
  code_challenge: string;
  dpop_jkt: string | null;
  auth_time: Date;
  amr: string[];
  expires_at: Date;
  issued_jtis: string[];
  grant_id: string | null;
  authorization_details: Record<string, unknown>[] | null;
}

const COLUMNS =
  'id, client_id, user_id, session_id, redirect_uri, scopes, resource, nonce, code_challenge, dpop_jkt, auth_time, amr, expires_at, issued_jtis, grant_id, authorization_details';
const PREFIXED_COLUMNS = COLUMNS.split(', ')
  .map((column) => `c.${column}`)
  .join(', ');

export class AuthorizationCodeRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Stores one code and its audit events (see insertMany). */
  async insert(tenantId: TenantId, code: NewAuthorizationCode, events: readonly AuditEvent[]): Promise<void> {
    await this.insertMany([{ tenantId, code, events, traceContext: currentTraceContext() }]);
  }

  /**
   * Stores codes and their audit events in one statement (a data-modifying WITH runs to
   * completion with the INSERT it precedes): all or none, in one round trip and one commit,
   * with no transaction around it. This is the authorize endpoint's hot path; concurrent
   * requests share the statement (BatchedCodes).
   */
  async insertMany(entries: readonly NewCodeEntry[]): Promise<void> {
    const params = new StatementParameters();
    const codes = params.valuesList(
      entries.map(({ tenantId, code }) => [
        tenantId,
        code.codeHash,
        code.clientId,
        code.userId,
        code.sessionId,
        code.redirectUri,
        [...code.scopes],
        code.resource,
        code.nonce,
        code.codeChallenge,
        code.authTime,
        [...code.amr],
        code.expiresAt,
        code.dpopJkt ?? null,
        code.authorizationDetails ? JSON.stringify(code.authorizationDetails) : null,
      ]),
      [
        'uuid',
        'varchar',
        'varchar',
        'uuid',
        'uuid',
        'varchar',
        'text[]',
        'varchar',
        'varchar',
        'varchar',
        'timestamptz',
        'text[]',
        'timestamptz',
        'varchar',
        'jsonb',
      ],
    );
    const insertCodes = `INSERT INTO authorization_codes (tenant_id, code_hash, client_id, user_id, session_id, redirect_uri, scopes, resource, nonce, code_challenge, auth_time, amr, expires_at, dpop_jkt, authorization_details)
       ${codes}`;
    const events = entries.flatMap(({ tenantId, events, traceContext }) => events.map((event) => ({ tenantId, event, traceContext })));
    if (events.length === 0) {
      await this.manager.query(insertCodes, params.values);
      return;
    }
    const audit = outboxInsert(events, params.values.length);
    await this.manager.query(`WITH stored_codes AS (${insertCodes}) ${audit.sql}`, [...params.values, ...audit.values]);
  }

  /**
   * RFC 6749 §4.1.2: a code is single use. One conditional UPDATE decides which
   * redemption wins; a code already consumed is reported as replayed.
   */
  async consume(tenantId: TenantId, codeHash: string, now: Date): Promise<ConsumeResult> {
    // The code's user comes back with it: the exchange checks the user and signs its claims, one round trip fewer.
    const consumed = await this.manager.query<(CodeRow & { user: UserRow | null })[]>(
      `WITH consumed AS (
         UPDATE authorization_codes SET consumed_at = $3 WHERE tenant_id = $1 AND code_hash = $2 AND consumed_at IS NULL
         RETURNING ${COLUMNS})
       SELECT consumed.*, (SELECT to_jsonb(u) FROM (SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = $1 AND id = consumed.user_id) u) AS user
       FROM consumed`,
      [tenantId, codeHash, now],
    );
    const row = consumed[0];
    if (row) return { outcome: 'consumed', code: toCode(row), user: row.user ? userFromJson(row.user) : null };
    const existing = await this.manager.query<CodeRow[]>(
      `SELECT ${COLUMNS} FROM authorization_codes WHERE tenant_id = $1 AND code_hash = $2`,
      [tenantId, codeHash],
    );
    return existing[0] ? { outcome: 'replayed', code: toCode(existing[0]) } : { outcome: 'unknown' };
  }

  /**
   * Codes by their hashes, consumed or not, each with its user (one read, no lock, any number: concurrent
   * exchanges share it, see BatchedCodes): what the exchange checks before it signs. In order.
   */
  async findPresented(lookups: readonly CodeLookup[]): Promise<(PresentedCode | null)[]> {
    const rows = await this.manager.query<(CodeRow & { ord: string; consumed: boolean; user: UserRow | null })[]>(
      `SELECT l.ord, ${PREFIXED_COLUMNS}, c.consumed_at IS NOT NULL AS consumed,
              (SELECT to_jsonb(u) FROM (SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = c.tenant_id AND id = c.user_id) u) AS user
       FROM unnest($1::uuid[], $2::varchar[]) WITH ORDINALITY AS l(tenant_id, code_hash, ord)
       JOIN authorization_codes c ON c.tenant_id = l.tenant_id AND c.code_hash = l.code_hash`,
      [lookups.map((lookup) => lookup.tenantId), lookups.map((lookup) => lookup.codeHash)],
    );
    const byOrdinal = new Map(rows.map((row) => [Number(row.ord), row]));
    return lookups.map((_, index) => {
      const row = byOrdinal.get(index + 1);
      return row ? { code: toCode(row), consumed: row.consumed, user: row.user ? userFromJson(row.user) : null } : null;
    });
  }

  /**
   * RFC 6749 §4.1.2, any number of redemptions in one statement with no transaction around it
   * (concurrent exchanges share it, see BatchedCodes). Each consumes its code only if no
   * one has (nor marked a replay), and with that consumption records the access tokens' ids, stores
   * the refresh-token family and its first token and writes the audit events; or, when the code was
   * consumed meanwhile, writes nothing and answers false: the caller must hand out nothing and treat
   * the request as a replay. The codes are locked in id order, so two such statements cannot deadlock.
   */
  async redeemMany(redemptions: readonly CodeRedemption[]): Promise<boolean[]> {
    const params = new StatementParameters();
    const batch = params.valuesList(
      redemptions.map((r, index) => [index + 1, r.tenantId, r.codeId, r.now, [...r.jtis], r.grant?.family.id ?? null]),
      ['int', 'uuid', 'uuid', 'timestamptz', 'text[]', 'uuid'],
    );
    const withQueries = [
      `batch (ord, tenant_id, id, at, jtis, grant_id) AS (${batch})`,
      `locked AS (
         SELECT c.id FROM authorization_codes c JOIN batch ON c.tenant_id = batch.tenant_id AND c.id = batch.id
         WHERE c.consumed_at IS NULL AND c.replayed_at IS NULL ORDER BY c.id FOR UPDATE OF c)`,
      `redeemed AS (
         UPDATE authorization_codes c SET consumed_at = batch.at, issued_jtis = batch.jtis, grant_id = batch.grant_id FROM batch
         WHERE c.id IN (SELECT id FROM locked) AND c.tenant_id = batch.tenant_id AND c.id = batch.id
           AND c.consumed_at IS NULL AND c.replayed_at IS NULL
         RETURNING batch.ord)`,
    ];
    const grants = redemptions.flatMap((r, index) => (r.grant ? [{ ord: index + 1, tenantId: r.tenantId, ...r.grant }] : []));
    if (grants.length > 0) {
      const families = params.valuesList(
        grants.map(({ ord, tenantId, family, firstToken }) => [
          ord,
          ...familyValues(tenantId, family),
          firstToken.tokenHash,
          firstToken.expiresAt,
        ]),
        ['int', ...FAMILY_INSERT_TYPES, 'varchar', 'timestamptz'],
      );
      withQueries.push(
        `families (ord, ${FAMILY_INSERT_COLUMNS}, token_hash, token_expires_at) AS (${families})`,
        `stored_family AS (
           INSERT INTO refresh_token_families (${FAMILY_INSERT_COLUMNS})
           SELECT ${FAMILY_INSERT_COLUMNS} FROM families JOIN redeemed USING (ord))`,
        `stored_token AS (
           INSERT INTO refresh_tokens (tenant_id, family_id, token_hash, expires_at)
           SELECT families.tenant_id, families.id, families.token_hash, families.token_expires_at FROM families JOIN redeemed USING (ord))`,
      );
    }
    const events = redemptions.flatMap((r, index) =>
      r.events.map((event) => ({ ord: index + 1, tenantId: r.tenantId, event, traceContext: r.traceContext })),
    );
    if (events.length > 0) {
      const rows = params.valuesList(
        events.map(({ ord, tenantId, event, traceContext }) => [
          ord,
          tenantId,
          event.type,
          event.outcome,
          event.occurredAt,
          outboxPayload(event, traceContext),
        ]),
        ['int', 'uuid', 'varchar', 'varchar', 'timestamptz', 'jsonb'],
      );
      withQueries.push(
        `events (ord, tenant_id, type, outcome, occurred_at, payload) AS (${rows})`,
        `audited AS (
           INSERT INTO audit_outbox (tenant_id, type, outcome, occurred_at, payload)
           SELECT e.tenant_id, e.type, e.outcome, e.occurred_at, e.payload FROM events e JOIN redeemed USING (ord))`,
      );
    }
    const rows = await this.manager.query<{ ord: number }[]>(
      `WITH ${withQueries.join(',\n       ')} SELECT ord FROM redeemed`,
      params.values,
    );
    const redeemed = new Set(rows.map((row) => Number(row.ord)));
    return redemptions.map((_, index) => redeemed.has(index + 1));
  }

  /**
   * Marks a replay and returns what the first redemption issued. The redemption records its
   * tokens in the statement that consumes the code, so either they are listed here, or the
   * redemption sees the mark (or the consumption) and issues nothing.
   */
  async markReplayed(tenantId: TenantId, id: string, now: Date): Promise<{ issuedJtis: string[]; grantId: string | null }> {
    const [rows] = await this.manager.query<[{ issued_jtis: string[]; grant_id: string | null }[], number]>(
      `UPDATE authorization_codes SET replayed_at = COALESCE(replayed_at, $3) WHERE tenant_id = $1 AND id = $2 RETURNING issued_jtis, grant_id`,
      [tenantId, id, now],
    );
    return { issuedJtis: rows[0]?.issued_jtis ?? [], grantId: rows[0]?.grant_id ?? null };
  }
}

function toCode(row: CodeRow): AuthorizationCode {
  return {
    id: row.id,
    clientId: row.client_id,
    userId: row.user_id,
    sessionId: row.session_id,
    redirectUri: row.redirect_uri,
    scopes: row.scopes,
    resource: row.resource,
    authorizationDetails: row.authorization_details ?? null,
    nonce: row.nonce,
    codeChallenge: row.code_challenge,
    dpopJkt: row.dpop_jkt,
    authTime: row.auth_time,
    amr: row.amr,
    expiresAt: row.expires_at,
    issuedJtis: row.issued_jtis,
    grantId: row.grant_id,
  };
}
