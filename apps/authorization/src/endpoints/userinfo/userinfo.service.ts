import { Injectable } from '@nestjs/common';
import type { RequestNotes } from '@gatehouse/observability';
import { bearerTokenOf, InvalidRequest, InvalidToken } from '@gatehouse/protocol';
import { SIGNING_ALGORITHMS, TokenVerificationError, verifyAccessToken } from '@gatehouse/tokens';
import { tokenBindingOf, type Tenant } from '@gatehouse/persistence';
import { AuthorizationRuntime } from '../../runtime/authorization-runtime.js';
import { claimsForScopes } from './claims.js';

const ACCEPTED_ALGORITHMS = [...SIGNING_ALGORITHMS];

/** OIDC Core §5.3: claims about the token's subject, by the scopes the token carries. */
@Injectable()
export class UserinfoService {
  constructor(private readonly runtime: AuthorizationRuntime) {}

  /** `notes` gets the token's client, for the request's log line. */
  async claims(slug: string, authorization: string | undefined, body: unknown, notes?: RequestNotes): Promise<Record<string, unknown>> {
    const tenant = await this.runtime.tenant(slug);
    const metrics = this.runtime.metrics;
    const count = (result: 'valid' | 'invalid') =>
      metrics.tokenValidations.inc({ tenant: metrics.tenants.of(tenant.slug), validator: 'userinfo', result });
    try {
      const claims = await this.validatedClaims(tenant, authorization, body, notes);
      count('valid');
      return claims;
    } catch (error) {
      if (error instanceof InvalidToken) count('invalid');
      throw error;
    }
  }

  private async validatedClaims(
    tenant: Tenant,
    authorization: string | undefined,
    body: unknown,
    notes: RequestNotes | undefined,
  ): Promise<Record<string, unknown>> {
    const token = bearerToken(authorization, body);
    const issuer = this.runtime.issuer(tenant);
    let claims: Record<string, unknown>;
    try {
      claims = await verifyAccessToken(token, {
        issuer,
        // Only tokens issued for userinfo (no resource): a token for an API must not read the user's profile.
        audience: issuer,
        keyFor: (kid) => this.runtime.keys.verificationKey(tenant.id, kid),
        now: this.runtime.now(),
        algorithms: ACCEPTED_ALGORITHMS,
      });
    } catch (error) {
      if (error instanceof TokenVerificationError) throw new InvalidToken({ cause: error.reason });
      throw error;
    }
    const standing = await this.runtime.persistence.tokenStanding.check(tenant.id, tokenBindingOf(claims), this.runtime.now());
    // Revoked, its grant or session ended, its user disabled: RFC 6750 §3.1 invalid_token.
    if (!standing.standing) throw new InvalidToken({ cause: standing.reason });
    if (notes && typeof claims['client_id'] === 'string') notes.clientId = claims['client_id'];
    const scopes = typeof claims['scope'] === 'string' ? claims['scope'].split(' ') : [];
    if (!scopes.includes('openid')) throw new InvalidToken({ cause: 'no openid scope', hint: 'the token lacks the openid scope' });
    const user =
      typeof claims['sub'] === 'string' ? await this.runtime.persistence.repositories.users.findById(tenant.id, claims['sub']) : null;
    if (!user || user.status !== 'active') throw new InvalidToken({ cause: 'subject gone' });
    return claimsForScopes(user, scopes);
  }
}

/** RFC 6750 §2.1 (header) or §2.2 (form body); both at once is invalid_request. */
function bearerToken(authorization: string | undefined, body: unknown): string {
  const fromBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['access_token'] : undefined;
  const fromHeader = bearerTokenOf(authorization);
  if (authorization !== undefined && fromBody !== undefined) throw new InvalidRequest({ hint: 'send the token in one place only' });
  if (fromHeader) return fromHeader;
  if (typeof fromBody === 'string' && fromBody.length > 0) return fromBody;
  throw new InvalidToken({ hint: 'a bearer access token is required' });
}
