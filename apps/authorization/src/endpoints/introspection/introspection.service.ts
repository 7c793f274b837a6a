import type { X509Certificate } from 'node:crypto';
import { GatehouseMetrics, type RequestNotes } from '@gatehouse/observability';
import { Inject, Injectable } from '@nestjs/common';
import type { AuditOutbox, RequestContext } from '@gatehouse/audit';
import type { Client } from '@gatehouse/persistence';
import { Clock, InvalidClient, InvalidRequest } from '@gatehouse/protocol';
import { singleValuedParams } from '../../http/request-params.js';
import { AUDIT_OUTBOX } from '../../runtime/injection-tokens.js';
import { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { EndpointRateLimiter } from '../../throttling/index.js';
import { ClientAuthenticator } from '../token/client-authenticator.js';
import { TokenInspector, type InspectedToken } from './token-inspector.js';

export type IntrospectionResponse = { active: false } | ({ active: true } & Record<string, unknown>);

/**
 * Who may learn about a token (RFC 7662 §4): the client it was issued to; for an access
 * token also a client an admin marked as resource server for one of its audiences. A
 * refresh token is its client's business only.
 */
function mayInspect(caller: Client, found: InspectedToken): boolean {
  if (found.kind === 'refresh') return found.token.family.clientId === caller.clientId;
  if (found.claims.client_id === caller.clientId) return true;
  const audiences = Array.isArray(found.claims.aud) ? found.claims.aud : [found.claims.aud];
  return audiences.some((audience) => typeof audience === 'string' && caller.resourceServerFor.includes(audience));
}

/** RFC 7662: only authenticated (confidential) clients; `active: false` and nothing else for anything not active here. */
@Injectable()
export class IntrospectionService {
  constructor(
    private readonly directory: TenantDirectory,
    private readonly rateLimits: EndpointRateLimiter,
    private readonly metrics: GatehouseMetrics,
    private readonly clock: Clock,
    @Inject(AUDIT_OUTBOX) private readonly audit: AuditOutbox,
    private readonly clientAuth: ClientAuthenticator,
    private readonly inspector: TokenInspector,
  ) {}

  async introspect(
    slug: string,
    authorization: string | undefined,
    body: unknown,
    context: RequestContext,
    notes?: RequestNotes,
    certificate?: X509Certificate,
  ): Promise<IntrospectionResponse> {
    const tenant = await this.directory.tenant(slug);
    const form = singleValuedParams(body);
    const caller = await this.clientAuth.authenticate(tenant, authorization, form, notes, certificate);
    if (caller.tokenEndpointAuthMethod === 'none') throw new InvalidClient({ cause: 'public clients may not introspect' });
    await this.rateLimits.enforce({ tenant, client: caller, limit: 'introspectionRequestsPerClientPerMinute', context });
    const token = form['token'];
    if (!token) throw new InvalidRequest({ hint: 'token is required' });

    const inspected = await this.inspector.inspect(tenant, token, form['token_type_hint']);
    // RFC 7662 §2.2/§4: to a caller not entitled to it, a token is simply not active (and the refusal is audited).
    const refused = inspected !== null && !mayInspect(caller, inspected);
    const found = refused ? null : inspected;
    await this.audit.append(tenant.id, [
      {
        type: 'token.introspected',
        outcome: refused ? 'failure' : 'success',
        occurredAt: this.clock.now(),
        clientId: caller.clientId,
        ...context,
        details: {
          active: found !== null,
          token_type: inspected?.kind,
          ...(refused ? { refused: 'not_token_client_or_resource_server' } : {}),
        },
      },
    ]);
    const { metrics } = this;
    metrics.tokenValidations.inc({
      tenant: metrics.tenants.of(tenant.slug),
      validator: 'introspection',
      result: found ? 'valid' : 'invalid',
    });
    if (!found) return { active: false };
    const issuer = this.directory.issuer(tenant);
    if (found.kind === 'access') {
      const { claims } = found;
      const { cnf, authorization_details: details } = claims as Record<string, unknown>;
      return {
        active: true,
        // RFC 9449 §6.2: a DPoP-bound token introspects as DPoP; RFC 8705 §3.2: any binding shows in cnf.
        token_type: typeof cnf === 'object' && cnf !== null && 'jkt' in cnf ? 'DPoP' : 'Bearer',
        ...(cnf === undefined ? {} : { cnf }),
        iss: claims.iss,
        sub: claims.sub,
        aud: claims.aud,
        client_id: claims.client_id,
        ...(claims.scope !== undefined ? { scope: claims.scope } : {}),
        exp: claims.exp,
        iat: claims.iat,
        jti: claims.jti,
        ...(claims.auth_time !== undefined ? { auth_time: claims.auth_time } : {}),
        // RFC 9396 §9.2.
        ...(details === undefined ? {} : { authorization_details: details }),
      };
    }
    const { token: refresh } = found;
    return {
      active: true,
      token_type: 'refresh_token',
      iss: issuer,
      sub: refresh.family.userId,
      client_id: refresh.family.clientId,
      scope: refresh.family.scopes.join(' '),
      exp: Math.floor(Math.min(refresh.expiresAt.getTime(), refresh.family.absoluteExpiresAt.getTime()) / 1000),
      iat: Math.floor(refresh.createdAt.getTime() / 1000),
      ...(refresh.family.authorizationDetails ? { authorization_details: refresh.family.authorizationDetails } : {}),
    };
  }
}
