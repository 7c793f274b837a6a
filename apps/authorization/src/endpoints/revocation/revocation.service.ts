import type { X509Certificate } from 'node:crypto';
import type { RequestNotes } from '@gatehouse/observability';
import { Injectable } from '@nestjs/common';
import { Persistence } from '@gatehouse/persistence';
import type { RequestContext } from '@gatehouse/audit';
import { Clock, InvalidRequest } from '@gatehouse/protocol';
import { singleValuedParams } from '../../http/request-params.js';
import { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { EndpointRateLimiter } from '../../throttling/index.js';
import { TokenInspector } from '../introspection/token-inspector.js';
import { ClientAuthenticator } from '../token/client-authenticator.js';
import { RevocationNotifier } from '../token/revocation-notifier.js';

/**
 * RFC 7009: a refresh token revokes its whole grant; an access token's jti is
 * recorded until it expires. Unknown, already revoked or other clients' tokens
 * still get 200 and change nothing (§2.2).
 */
@Injectable()
export class RevocationService {
  constructor(
    private readonly directory: TenantDirectory,
    private readonly rateLimits: EndpointRateLimiter,
    private readonly clock: Clock,
    private readonly persistence: Persistence,
    private readonly clientAuth: ClientAuthenticator,
    private readonly inspector: TokenInspector,
    private readonly notifier: RevocationNotifier,
  ) {}

  async revoke(
    slug: string,
    authorization: string | undefined,
    body: unknown,
    context: RequestContext,
    notes?: RequestNotes,
    certificate?: X509Certificate,
  ): Promise<void> {
    const tenant = await this.directory.tenant(slug);
    const form = singleValuedParams(body);
    const client = await this.clientAuth.authenticate(tenant, authorization, form, notes, certificate);
    // A public client is counted per source address: anyone can send its client_id.
    const subject = client.tokenEndpointAuthMethod === 'none' ? (context.ip ?? 'unknown') : undefined;
    await this.rateLimits.enforce({ tenant, client, limit: 'revocationRequestsPerClientPerMinute', subject, context });
    const token = form['token'];
    if (!token) throw new InvalidRequest({ hint: 'token is required' });
    const now = this.clock.now();
    const { persistence } = this;

    const found = await this.inspector.inspect(tenant, token, form['token_type_hint']);
    if (found?.kind === 'refresh' && found.token.family.clientId === client.clientId) {
      const familyId = found.token.family.id;
      await persistence.transaction(async (repos) => {
        await repos.refreshTokens.revokeFamily(tenant.id, familyId, 'revoked_by_client', now);
        await repos.auditOutbox.append(tenant.id, [
          {
            type: 'token.revoked',
            outcome: 'success',
            occurredAt: now,
            clientId: client.clientId,
            userId: found.token.family.userId,
            ...context,
            details: { token_type: 'refresh_token' },
          },
        ]);
      });
      await this.notifier.publish(tenant.id, { grantId: familyId });
      return;
    }
    if (found?.kind === 'access' && found.claims.client_id === client.clientId) {
      const { jti, exp, sub } = found.claims;
      await persistence.transaction(async (repos) => {
        await repos.revokedTokens.revoke(tenant.id, [jti], new Date(exp * 1000));
        await repos.auditOutbox.append(tenant.id, [
          {
            type: 'token.revoked',
            outcome: 'success',
            occurredAt: now,
            clientId: client.clientId,
            userId: sub,
            ...context,
            details: { token_type: 'access_token' },
          },
        ]);
      });
      await this.notifier.publish(tenant.id, { jtis: [jti] });
    }
  }
}
