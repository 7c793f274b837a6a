import type { X509Certificate } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Persistence } from '@gatehouse/persistence';
import type { RequestContext } from '@gatehouse/audit';
import type { RequestNotes } from '@gatehouse/observability';
import {
  Clock,
  codeHash,
  DEVICE_CODE_GRANT_TYPE,
  formatUserCode,
  generateUserCode,
  InvalidAuthorizationDetails,
  InvalidRequest,
  UnauthorizedClient,
} from '@gatehouse/protocol';
import { generateOpaqueSecret } from '@gatehouse/tokens';
import { singleValuedParams } from '../../http/request-params.js';
import { ApiCache } from '../../tenancy/api-cache.js';
import { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { EndpointRateLimiter } from '../../throttling/index.js';
import type { AuthorizeDraft } from '../authorize/authorization-request.js';
import { checkResource } from '../authorize/checks/check-resource.js';
import { checkScope } from '../authorize/checks/check-scope.js';
import { ClientAuthenticator } from '../token/client-authenticator.js';
import { isConfidential } from '../token/confidential-client.js';

/** RFC 8628 §3.2. */
export interface DeviceAuthorizationResponse {
  readonly device_code: string;
  readonly user_code: string;
  readonly verification_uri: string;
  readonly verification_uri_complete: string;
  readonly expires_in: number;
  readonly interval: number;
}

/** A fresh user code that collides with a live one is drawn again (20^8 codes: rarely). */
const USER_CODE_ATTEMPTS = 3;

/**
 * RFC 8628 §3.1–3.2: a device (an authenticated confidential client, or a public one by client_id)
 * asks for a device code and a user code; the scopes and resource are checked as /authorize checks
 * them; both codes are stored as SHA-256 only (docs/adr/0017).
 */
@Injectable()
export class DeviceAuthorizationService {
  constructor(
    private readonly directory: TenantDirectory,
    private readonly rateLimits: EndpointRateLimiter,
    private readonly clock: Clock,
    private readonly persistence: Persistence,
    private readonly clientAuth: ClientAuthenticator,
    private readonly apis: ApiCache,
  ) {}

  async start(
    slug: string,
    authorization: string | undefined,
    body: unknown,
    context: RequestContext,
    notes?: RequestNotes,
    certificate?: X509Certificate,
  ): Promise<DeviceAuthorizationResponse> {
    const tenant = await this.directory.tenant(slug);
    if (!tenant.deviceAuthorization.enabled)
      throw new InvalidRequest({ hint: 'the device authorization grant is not enabled for this issuer' });
    const form = singleValuedParams(body);
    const client = await this.clientAuth.authenticate(tenant, authorization, form, notes, certificate);
    if (!client.grantTypes.includes(DEVICE_CODE_GRANT_TYPE))
      throw new UnauthorizedClient({ hint: `the client may not use ${DEVICE_CODE_GRANT_TYPE}` });
    // Counted with the client's other back-channel requests; a public client's per source address.
    await this.rateLimits.enforce({
      tenant,
      client,
      limit: 'tokenRequestsPerClientPerMinute',
      subject: isConfidential(client) ? undefined : (context.ip ?? 'unknown'),
      context,
    });
    // RFC 9396 §5: details the server will not honour are refused, never dropped (a token without them
    // would pass for one the client asked to narrow). Device grants carry scopes and a resource only (ADR 0019).
    if (form['authorization_details'] !== undefined)
      throw new InvalidAuthorizationDetails({
        hint: 'the device authorization grant takes scopes and a resource, not authorization_details',
      });
    const issuer = this.directory.issuer(tenant);
    const draft: AuthorizeDraft = { tenant, issuer, client, params: form };
    checkScope(draft);
    await checkResource(draft, this.apis);

    const { codeLifetimeSeconds, pollingIntervalSeconds } = tenant.deviceAuthorization;
    const now = this.clock.now();
    const deviceCode = generateOpaqueSecret();
    const scopes = draft.scopes ?? [];
    for (let attempt = 1; ; attempt++) {
      const userCode = generateUserCode();
      try {
        await this.persistence.transaction(async (repos) => {
          await repos.deviceAuthorizations.insert(
            tenant.id,
            {
              clientId: client.clientId,
              deviceCodeHash: codeHash(deviceCode),
              userCodeHash: codeHash(userCode),
              scopes,
              resource: draft.resource ?? null,
              intervalSeconds: pollingIntervalSeconds,
              expiresAt: new Date(now.getTime() + codeLifetimeSeconds * 1000),
            },
            now,
          );
          await repos.auditOutbox.append(tenant.id, [
            {
              type: 'authorization.requested',
              outcome: 'success',
              occurredAt: now,
              clientId: client.clientId,
              ...context,
              details: { flow: 'device_authorization', scopes, resource: draft.resource ?? null },
            },
          ]);
        });
      } catch (error) {
        if (attempt < USER_CODE_ATTEMPTS && isUniqueViolation(error)) continue;
        throw error;
      }
      const shown = formatUserCode(userCode);
      return {
        device_code: deviceCode,
        user_code: shown,
        verification_uri: `${issuer}/device`,
        verification_uri_complete: `${issuer}/device?user_code=${shown}`,
        expires_in: codeLifetimeSeconds,
        interval: pollingIntervalSeconds,
      };
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
