import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

/** login -> (second_factor | enrol) -> consent -> done. */
export type InteractionState = 'login' | 'second_factor' | 'enrol' | 'consent' | 'done';

/**
 * The only moves `advance` makes. The password step leads to a second factor, to enrolment, or
 * straight to consent; both second-factor steps lead to consent; consent ends the interaction.
 * Nothing goes back, and nothing skips consent.
 */
export const INTERACTION_TRANSITIONS: Readonly<Record<InteractionState, readonly InteractionState[]>> = {
  login: ['second_factor', 'enrol', 'consent'],
  second_factor: ['consent'],
  enrol: ['consent'],
  consent: ['done'],
  done: [],
};

/** A move the table does not allow: a programming error, never the user's doing. */
export class IllegalInteractionTransition extends Error {
  constructor(from: InteractionState, to: InteractionState) {
    super(`interaction transition ${from} -> ${to} is not allowed`);
  }
}

/** A validated authorization request waiting for the user: login, then consent, then a code. */
export interface Interaction {
  readonly id: string;
  readonly browserHash: string;
  readonly csrfHash: string;
  readonly clientId: string;
  readonly request: Record<string, unknown>;
  readonly state: InteractionState;
  readonly userId: string | null;
  readonly sessionId: string | null;
  /** The risk decision of the password step (login_risk and risk_decision), for the step that finishes the sign-in. */
  readonly signInRisk: Record<string, unknown> | null;
  readonly expiresAt: Date;
}

export interface NewInteraction {
  readonly handleHash: string;
  readonly browserHash: string;
  readonly csrfHash: string;
  readonly clientId: string;
  readonly request: Record<string, unknown>;
  readonly state: InteractionState;
  readonly userId?: string | null;
  readonly sessionId?: string | null;
  readonly expiresAt: Date;
}

interface InteractionRow {
  id: string;
  browser_hash: string;
  csrf_hash: string;
  client_id: string;
  request: Record<string, unknown>;
  state: InteractionState;
  user_id: string | null;
  session_id: string | null;
  sign_in_risk: Record<string, unknown> | null;
  expires_at: Date;
}

export class InteractionRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(tenantId: TenantId, interaction: NewInteraction): Promise<void> {
    await this.manager.query(
      `INSERT INTO interactions (tenant_id, handle_hash, browser_hash, csrf_hash, client_id, request, state, user_id, session_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        tenantId,
        interaction.handleHash,
        interaction.browserHash,
        interaction.csrfHash,
        interaction.clientId,
        JSON.stringify(interaction.request),
        interaction.state,
        interaction.userId ?? null,
        interaction.sessionId ?? null,
        interaction.expiresAt,
      ],
    );
  }

  /** The interaction with this handle, in any state, expired ones too (the caller checks `expiresAt`): an expired sign-in still names the client to return to. */
  async findByHandle(tenantId: TenantId, handleHash: string): Promise<Interaction | null> {
    const rows = await this.manager.query<InteractionRow[]>(
      `SELECT id, browser_hash, csrf_hash, client_id, request, state, user_id, session_id, sign_in_risk, expires_at
       FROM interactions WHERE tenant_id = $1 AND handle_hash = $2`,
      [tenantId, handleHash],
    );
    const row = rows[0];
    return row
      ? {
          id: row.id,
          browserHash: row.browser_hash,
          csrfHash: row.csrf_hash,
          clientId: row.client_id,
          request: row.request,
          state: row.state,
          userId: row.user_id,
          sessionId: row.session_id,
          signInRisk: row.sign_in_risk,
          expiresAt: row.expires_at,
        }
      : null;
  }

  /** One conditional UPDATE: true only for the call that moved it out of `from`. */
  async advance(
    tenantId: TenantId,
    id: string,
    from: InteractionState,
    to: InteractionState,
    subject?: { userId: string; sessionId?: string | undefined; signInRisk?: Record<string, unknown> | undefined },
  ): Promise<boolean> {
    if (!INTERACTION_TRANSITIONS[from].includes(to)) throw new IllegalInteractionTransition(from, to);
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows] = await this.manager.query<[{ id: string }[], number]>(
      `UPDATE interactions SET state = $4, user_id = COALESCE($5, user_id), session_id = COALESCE($6, session_id),
         sign_in_risk = COALESCE($7::jsonb, sign_in_risk)
       WHERE tenant_id = $1 AND id = $2 AND state = $3 RETURNING id`,
      [
        tenantId,
        id,
        from,
        to,
        subject?.userId ?? null,
        subject?.sessionId ?? null,
        subject?.signInRisk ? JSON.stringify(subject.signInRisk) : null,
      ],
    );
    return rows.length === 1;
  }
}
