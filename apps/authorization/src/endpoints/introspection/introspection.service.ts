import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@gatehouse/audit';
import { InvalidClient, InvalidRequest } from '@gatehouse/protocol';
import { singleValuedParams } from '../../http/request-params.js';
import { AuthorizationRuntime } from '../../runtime/authorization-runtime.js';
import { ClientAuthenticator } from '../token/client-authenticator.js';
import { TokenInspector } from './token-inspector.js';

export type IntrospectionResponse = { active: false } | ({ active: true } & Record<string, unknown>);

/** RFC 7662: only authenticated (confidential) clients; `active: false` and nothing else for anything not active here. */
@Injectable()
export class IntrospectionService {
  constructor(
    private readonly runtime: AuthorizationRuntime,
    private readonly clientAuth: ClientAuthenticator,
    private readonly inspector: TokenInspector,
  ) {}

  async introspect(
    slug: string,
    authorization: string | undefined,
    body: unknown,
    context: RequestContext,
  ): Promise<IntrospectionResponse> {
    const tenant = await this.runtime.tenant(slug);
    const form = singleValuedParams(body);
    const caller = await this.clientAuth.authenticate(tenant, authorization, form);
    if (caller.tokenEndpointAuthMethod === 'none') throw new InvalidClient({ cause: 'public clients may not introspect' });
    const token = form['token'];
    if (!token) throw new InvalidRequest({ hint: 'token is required' });

    const found = await this.inspector.inspect(tenant, token, form['token_type_hint']);
    await this.runtime.persistence.repositories.auditOutbox.append(tenant.id, [
      {
        type: 'token.introspected',
        outcome: 'success',
        occurredAt: this.runtime.now(),
        clientId: caller.clientId,
        ...context,
        details: { active: found !== null, token_type: found?.kind },
      },
    ]);
    if (!found) return { active: false };
    const issuer = this.runtime.issuer(tenant);
    if (found.kind === 'access') {
      const { claims } = found;
      return {
        active: true,
        token_type: 'Bearer',
        iss: claims.iss,
        sub: claims.sub,
        aud: claims.aud,
        client_id: claims.client_id,
        ...(claims.scope !== undefined ? { scope: claims.scope } : {}),
        exp: claims.exp,
        iat: claims.iat,
        jti: claims.jti,
        ...(claims.auth_time !== undefined ? { auth_time: claims.auth_time } : {}),
      };
    }
    const { token: refresh } = found;
    // A refresh token is its client's business only (RFC 7662 §4): to anyone else it is inactive.
    if (refresh.family.clientId !== caller.clientId) return { active: false };
    return {
      active: true,
      token_type: 'refresh_token',
      iss: issuer,
      sub: refresh.family.userId,
      client_id: refresh.family.clientId,
      scope: refresh.family.scopes.join(' '),
      exp: Math.floor(Math.min(refresh.expiresAt.getTime(), refresh.family.absoluteExpiresAt.getTime()) / 1000),
      iat: Math.floor(refresh.createdAt.getTime() / 1000),
    };
  }
}
