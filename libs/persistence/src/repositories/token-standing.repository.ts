import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

/** What a verified access token is bound to, read from its claims (see `tokenBindingOf` in libs/protocol). */
export interface TokenBinding {
  readonly jti: string;
  /** The client it was issued to; null when no client row backs it (the CLI's own admin tokens). */
  readonly clientId: string | null;
  /** The user it speaks for; null for a client's own token (client_credentials). */
  readonly userId: string | null;
  /** The refresh token family (grant) it was minted from. */
  readonly grantId: string | null;
  /** The SSO session it was minted from, when no grant outlives that session. */
  readonly sessionId: string | null;
}

export type TokenStanding =
  | { readonly standing: true; /** The user's roles now (empty for a client's token). */ readonly userRoles: readonly string[] }
  | { readonly standing: false; readonly reason: 'revoked' | 'grant_revoked' | 'session_ended' | 'user_inactive' | 'client_gone' };

interface StandingRow {
  jti_revoked: boolean;
  grant_standing: boolean | null;
  session_standing: boolean | null;
  user_status: string | null;
  user_roles: string[] | null;
  client_exists: boolean | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function malformed(id: string | null): boolean {
  return id !== null && !UUID.test(id);
}

/**
 * The binding of an access token from its claims. A token whose subject is its own
 * client (RFC 9068 §2.2, client_credentials) speaks for no user.
 */
export function tokenBindingOf(claims: Readonly<Record<string, unknown>>): TokenBinding {
  const text = (name: string): string | null => (typeof claims[name] === 'string' ? claims[name] : null);
  const clientId = text('client_id');
  const subject = text('sub');
  return {
    jti: text('jti') ?? '',
    clientId,
    userId: subject !== null && subject !== clientId ? subject : null,
    grantId: text('grant_id'),
    sessionId: text('sid'),
  };
}

/** One standing question: a token's binding in its tenant, at a moment. */
export interface StandingQuery {
  readonly tenantId: TenantId;
  readonly binding: TokenBinding;
  readonly now: Date;
}

/** Refusals that need no query: a binding that is not even a well-formed id names nothing that stands. */
function refusedUpfront(binding: TokenBinding): TokenStanding | null {
  // RFC 9068 §2.2: every access token has a jti; one without it cannot be revoked, so it never stands.
  if (binding.jti === '') return { standing: false, reason: 'revoked' };
  if (malformed(binding.grantId)) return { standing: false, reason: 'grant_revoked' };
  if (malformed(binding.sessionId)) return { standing: false, reason: 'session_ended' };
  if (malformed(binding.userId)) return { standing: false, reason: 'user_inactive' };
  return null;
}

function standingOf(binding: TokenBinding, row: StandingRow | undefined): TokenStanding {
  if (!row || row.jti_revoked) return { standing: false, reason: 'revoked' };
  if (row.grant_standing === false) return { standing: false, reason: 'grant_revoked' };
  if (row.session_standing === false) return { standing: false, reason: 'session_ended' };
  if (binding.userId !== null && row.user_status !== 'active') return { standing: false, reason: 'user_inactive' };
  if (row.client_exists === false) return { standing: false, reason: 'client_gone' };
  return { standing: true, userRoles: row.user_roles ?? [] };
}

/**
 * Whether verified access tokens still stand now: each jti not revoked, its grant not
 * revoked, its session not ended or expired, its user present and active, its client
 * present. One query for any number of tokens (concurrent requests share it, see
 * BatchedTokenStanding), every lookup by primary or unique key.
 */
export class TokenStandingRepository {
  constructor(private readonly manager: EntityManager) {}

  async check(tenantId: TenantId, binding: TokenBinding, now: Date): Promise<TokenStanding> {
    const [standing] = await this.checkMany([{ tenantId, binding, now }]);
    return standing ?? { standing: false, reason: 'revoked' };
  }

  /** One answer per query, in order. */
  async checkMany(queries: readonly StandingQuery[]): Promise<TokenStanding[]> {
    const answers: (TokenStanding | null)[] = queries.map((query) => refusedUpfront(query.binding));
    const asked = queries.filter((_, index) => answers[index] === null);
    if (asked.length === 0) return answers as TokenStanding[];
    const column = <T>(pick: (query: StandingQuery) => T): T[] => asked.map(pick);
    const rows = await this.manager.query<(StandingRow & { ord: string })[]>(
      `SELECT b.ord,
              EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.tenant_id = b.tenant_id AND r.jti = b.jti) AS jti_revoked,
              CASE WHEN b.grant_id IS NULL THEN NULL
                   ELSE COALESCE((SELECT f.revoked_at IS NULL FROM refresh_token_families f WHERE f.tenant_id = b.tenant_id AND f.id = b.grant_id), false)
              END AS grant_standing,
              CASE WHEN b.session_id IS NULL THEN NULL
                   ELSE COALESCE((SELECT s.ended_at IS NULL AND s.expires_at > b.at FROM sessions s WHERE s.tenant_id = b.tenant_id AND s.id = b.session_id), false)
              END AS session_standing,
              u.status AS user_status,
              u.roles AS user_roles,
              CASE WHEN b.client_id IS NULL THEN NULL
                   ELSE EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = b.tenant_id AND c.client_id = b.client_id)
              END AS client_exists
       FROM unnest($1::uuid[], $2::varchar[], $3::uuid[], $4::uuid[], $5::uuid[], $6::varchar[], $7::timestamptz[])
            WITH ORDINALITY AS b(tenant_id, jti, grant_id, session_id, user_id, client_id, at, ord)
       LEFT JOIN users u ON u.tenant_id = b.tenant_id AND u.id = b.user_id`,
      [
        column((query) => query.tenantId),
        column((query) => query.binding.jti),
        column((query) => query.binding.grantId),
        column((query) => query.binding.sessionId),
        column((query) => query.binding.userId),
        column((query) => query.binding.clientId),
        column((query) => query.now),
      ],
    );
    const byOrdinal = new Map(rows.map((row) => [Number(row.ord), row]));
    let ordinal = 0;
    return queries.map((query, index) => {
      const upfront = answers[index];
      if (upfront) return upfront;
      ordinal += 1;
      return standingOf(query.binding, byOrdinal.get(ordinal));
    });
  }
}
