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

/**
 * Whether a verified access token still stands now: its jti not revoked, its grant not
 * revoked, its session not ended or expired, its user present and active, its client
 * present. One query, every lookup by primary or unique key.
 */
export class TokenStandingRepository {
  constructor(private readonly manager: EntityManager) {}

  async check(tenantId: TenantId, binding: TokenBinding, now: Date): Promise<TokenStanding> {
    // A binding that is not even a well-formed id names nothing that stands.
    // RFC 9068 §2.2: every access token has a jti; one without it cannot be revoked, so it never stands.
    if (binding.jti === '') return { standing: false, reason: 'revoked' };
    if (malformed(binding.grantId)) return { standing: false, reason: 'grant_revoked' };
    if (malformed(binding.sessionId)) return { standing: false, reason: 'session_ended' };
    if (malformed(binding.userId)) return { standing: false, reason: 'user_inactive' };
    const rows = await this.manager.query<StandingRow[]>(
      `SELECT EXISTS (SELECT 1 FROM revoked_tokens WHERE tenant_id = $1 AND jti = $2) AS jti_revoked,
              CASE WHEN $3::uuid IS NULL THEN NULL
                   ELSE COALESCE((SELECT f.revoked_at IS NULL FROM refresh_token_families f WHERE f.tenant_id = $1 AND f.id = $3::uuid), false)
              END AS grant_standing,
              CASE WHEN $4::uuid IS NULL THEN NULL
                   ELSE COALESCE((SELECT s.ended_at IS NULL AND s.expires_at > $7 FROM sessions s WHERE s.tenant_id = $1 AND s.id = $4::uuid), false)
              END AS session_standing,
              (SELECT u.status FROM users u WHERE u.tenant_id = $1 AND u.id = $5::uuid) AS user_status,
              (SELECT u.roles FROM users u WHERE u.tenant_id = $1 AND u.id = $5::uuid) AS user_roles,
              CASE WHEN $6::varchar IS NULL THEN NULL
                   ELSE EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = $1 AND c.client_id = $6)
              END AS client_exists`,
      [tenantId, binding.jti, binding.grantId, binding.sessionId, binding.userId, binding.clientId, now],
    );
    const row = rows[0];
    if (!row || row.jti_revoked) return { standing: false, reason: 'revoked' };
    if (row.grant_standing === false) return { standing: false, reason: 'grant_revoked' };
    if (row.session_standing === false) return { standing: false, reason: 'session_ended' };
    if (binding.userId !== null && row.user_status !== 'active') return { standing: false, reason: 'user_inactive' };
    if (row.client_exists === false) return { standing: false, reason: 'client_gone' };
    return { standing: true, userRoles: row.user_roles ?? [] };
  }
}
