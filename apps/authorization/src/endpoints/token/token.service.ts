import type { X509Certificate } from 'node:crypto';
import type { Client, Tenant } from '@gatehouse/persistence';
import { GatehouseMetrics, type RequestNotes } from '@gatehouse/observability';
import { Inject, Injectable } from '@nestjs/common';
import type { AuditOutbox, RequestContext } from '@gatehouse/audit';
import {
  Clock,
  certificateThumbprint,
  describeCause,
  extractClientCredentials,
  InvalidRequest,
  OAuthError,
  RateLimited,
  UnauthorizedClient,
  UnsupportedGrantType,
} from '@gatehouse/protocol';
import { singleValuedParams, type Params } from '../../http/request-params.js';
import { AUDIT_OUTBOX } from '../../runtime/injection-tokens.js';
import { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { EndpointRateLimiter } from '../../throttling/index.js';
import { isFapi2 } from '../../tenancy/security-profile.js';
import { ClientAuthenticator } from './client-authenticator.js';
import { isConfidential } from './confidential-client.js';
import type { TokenResponse } from './grants/grant-handler.js';
import { GrantHandlers } from './grants/grant-handlers.js';
import { NO_DPOP, TokenDpop, type TokenDpopInput } from './token-dpop.js';

/** POST /token: a checklist — parameters, client, grant type, the grant itself. */
@Injectable()
export class TokenService {
  constructor(
    private readonly directory: TenantDirectory,
    private readonly rateLimits: EndpointRateLimiter,
    private readonly metrics: GatehouseMetrics,
    private readonly clock: Clock,
    @Inject(AUDIT_OUTBOX) private readonly audit: AuditOutbox,
    private readonly clientAuth: ClientAuthenticator,
    private readonly dpop: TokenDpop,
    private readonly grants: GrantHandlers,
  ) {}

  async exchange(
    slug: string,
    authorization: string | undefined,
    body: unknown,
    context: RequestContext,
    notes?: RequestNotes,
    dpopInput: TokenDpopInput = NO_DPOP,
    certificate?: X509Certificate,
  ): Promise<TokenResponse> {
    const tenant = await this.directory.tenant(slug);
    const form = singleValuedParams(body);
    const client = await this.clientAuth.authenticate(tenant, authorization, form, notes, certificate).catch(async (error: unknown) => {
      // Refused before any client is known: audited with the client_id it claimed, unverified (issue 18).
      if (error instanceof OAuthError)
        await this.recordFailure(tenant, form, context, error, { claimed_client_id: claimedClientId(authorization, form) });
      throw error;
    });
    try {
      const limits = this.rateLimits;
      const ip = context.ip ?? 'unknown';
      // Issue 10 item 7: the tenant's token_requests_per_client_per_minute, before any grant work.
      // A public client authenticates by its client_id alone, which anyone can send: its budget is
      // per source address, or one stranger could spend it for every user of the client.
      const subject = isConfidential(client) ? undefined : ip;
      await limits.enforce({ tenant, client, limit: 'tokenRequestsPerClientPerMinute', subject, context });
      const grantType = form['grant_type'];
      if (!grantType) throw new InvalidRequest({ hint: 'grant_type is required' });
      const grant = this.grants.handlerFor(grantType);
      if (!grant) throw new UnsupportedGrantType();
      if (!client.grantTypes.includes(grantType)) throw new UnauthorizedClient({ hint: `the client may not use ${grantType}` });
      const issuer = this.directory.issuer(tenant);
      // Hot path: without a DPoP header (and a client that does not require one) no promise is made.
      const dpop =
        dpopInput.header === undefined && !client.dpopBoundAccessTokens
          ? null
          : await this.dpop.bind(tenant, client, `${issuer}/token`, dpopInput);
      const certificateThumbprint = this.certificateBinding(tenant, client, certificate);
      // FAPI 2.0 §5.3.2.1 item 5: only sender-constrained access tokens, by DPoP or by certificate.
      if (isFapi2(tenant) && dpop === null && certificateThumbprint === null)
        throw new InvalidRequest({
          hint: 'this issuer issues only sender-constrained tokens: send a DPoP proof or use a TLS client certificate',
        });
      const perAddress =
        grantType === 'authorization_code'
          ? await limits.enforce({ tenant, client, limit: 'codeExchangesPerClientIpPerMinute', subject: ip, context })
          : null;
      const response = await grant
        .handle({ tenant, issuer, client, form, context, dpop, certificateThumbprint })
        .catch(async (error: unknown) => {
          // Refused by the per-user limit: it passed every check, so it counts per user only.
          if (error instanceof RateLimited && isConfidential(client)) await limits.refund(perAddress);
          throw error;
        });
      // The grant counted this success per user instead (authorization-code.grant.ts).
      if (isConfidential(client)) await limits.refund(perAddress);
      this.metrics.tokenExchanges.inc({ tenant: this.metrics.tenants.of(tenant.slug), grant_type: grantType });
      return response;
    } catch (error) {
      if (error instanceof OAuthError) await this.recordFailure(tenant, form, context, error, {}, client.clientId);
      throw error;
    }
  }

  /** RFC 8705 §3: a client registered for certificate-bound tokens binds them to the certificate it presented. */
  private certificateBinding(tenant: Tenant, client: Client, certificate: X509Certificate | undefined): string | null {
    if (!tenant.mtlsEnabled) return null;
    // FAPI 2.0: a certificate presented on a profiled tenant binds the token, registered for it or not (RFC 8705 §3).
    if (isFapi2(tenant) && certificate) return certificateThumbprint(certificate);
    if (!client.tlsClientCertificateBoundAccessTokens) return null;
    if (!certificate) throw new InvalidRequest({ hint: "this client's tokens are bound to a TLS client certificate; none was presented" });
    return certificateThumbprint(certificate);
  }

  private async recordFailure(
    tenant: Tenant,
    form: Params,
    context: RequestContext,
    error: OAuthError,
    extra: Record<string, unknown>,
    clientId?: string,
  ): Promise<void> {
    await this.audit.append(tenant.id, [
      {
        type: 'token.failed',
        outcome: 'failure',
        occurredAt: this.clock.now(),
        ...(clientId !== undefined ? { clientId } : {}),
        errorCode: error.error,
        ...context,
        details: { grant_type: form['grant_type'], ...extra, reason: describeCause(error.internalCause) || error.fullDescription },
      },
    ]);
  }
}

/** The client_id a refused request named (Basic user-id or form), unverified and bounded, for the audit trail. */
function claimedClientId(authorization: string | undefined, form: Params): string | undefined {
  let claimed: string | undefined;
  try {
    claimed = extractClientCredentials({ authorization, body: form }).clientId;
  } catch {
    claimed = form['client_id'];
  }
  return claimed?.slice(0, 128);
}
