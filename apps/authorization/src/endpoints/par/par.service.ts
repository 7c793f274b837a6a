import type { X509Certificate } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { RequestContext } from '@gatehouse/audit';
import type { RequestNotes } from '@gatehouse/observability';
import { Persistence, type Client, type Tenant } from '@gatehouse/persistence';
import { Clock, InvalidDpopProof, InvalidRequest, RequestNotSupported } from '@gatehouse/protocol';
import { DpopVerifier } from '../../dpop/dpop-verifier.js';
import { generateOpaqueSecret, hashOpaqueSecret } from '@gatehouse/tokens';
import { singleValuedParams, type Params } from '../../http/request-params.js';
import { AUTHORIZE_CHECK_DEPENDENCIES } from '../../runtime/injection-tokens.js';
import { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { EndpointRateLimiter } from '../../throttling/index.js';
import type { AuthorizeDraft } from '../authorize/authorization-request.js';
import { PUSHED_REQUEST_CHECKS, type CheckDependencies } from '../authorize/authorize.pipeline.js';
import { requestObjectParams } from '../authorize/checks/resolve-request.js';
import { ClientAuthenticator } from '../token/client-authenticator.js';
import { clientSigningAlgorithms } from '../../tenancy/security-profile.js';

export interface PushedRequestResponse {
  readonly request_uri: string;
  readonly expires_in: number;
}

/** RFC 9126 §2.2: the request_uri is this URN followed by 256 random bits (at least 128 required, §7.1). */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';
/** Client authentication travels in the same form; it is not part of the authorization request. */
const CLIENT_AUTH_PARAMS = ['client_secret', 'client_assertion', 'client_assertion_type'];

/**
 * RFC 9126 §2: an authenticated client pushes its authorization request (plain parameters or, RFC
 * 9101, a signed request object); it is validated as /authorize would and stored, bound to tenant and
 * client, for one use within the tenant's PAR lifetime.
 */
@Injectable()
export class PushedRequestService {
  constructor(
    private readonly directory: TenantDirectory,
    private readonly rateLimits: EndpointRateLimiter,
    private readonly clock: Clock,
    private readonly persistence: Persistence,
    @Inject(AUTHORIZE_CHECK_DEPENDENCIES) private readonly checks: CheckDependencies,
    private readonly clientAuth: ClientAuthenticator,
    private readonly dpop: DpopVerifier,
  ) {}

  async push(
    slug: string,
    authorization: string | undefined,
    body: unknown,
    context: RequestContext,
    notes?: RequestNotes,
    dpopHeader?: string | readonly string[],
    certificate?: X509Certificate,
  ): Promise<PushedRequestResponse> {
    const tenant = await this.directory.tenant(slug);
    if (tenant.pushedAuthorizationRequests === 'disabled')
      throw new InvalidRequest({ hint: 'pushed authorization requests are not enabled for this issuer' });
    const form = singleValuedParams(body);
    const client = await this.clientAuth.authenticate(tenant, authorization, form, notes, certificate);
    // Counted with the client's other back-channel requests: the source is its server, not the end-user.
    await this.rateLimits.enforce({ tenant, client, limit: 'tokenRequestsPerClientPerMinute', context });
    if (form['request_uri'] !== undefined) throw new InvalidRequest({ hint: 'request_uri is not allowed in a pushed request' });

    const draft = await this.draftOf(tenant, client, form);
    await this.bindToDpopKey(tenant, draft, dpopHeader);
    for (const check of PUSHED_REQUEST_CHECKS) await check(draft, this.checks);

    const requestUri = `${REQUEST_URI_PREFIX}${generateOpaqueSecret(32)}`;
    const now = this.clock.now();
    const lifetime = tenant.parLifetimeSeconds;
    await this.persistence.repositories.pushedRequests.insert(
      tenant.id,
      {
        requestUriHash: hashOpaqueSecret(requestUri),
        clientId: client.clientId,
        params: definedParams(draft.params),
        signed: draft.signed === true,
        expiresAt: new Date(now.getTime() + lifetime * 1000),
      },
      now,
    );
    return { request_uri: requestUri, expires_in: lifetime };
  }

  /**
   * RFC 9449 §10.1: a DPoP proof sent with the pushed request binds the code to its key, as dpop_jkt
   * would; both present must name the same key. Without DPoP on for the tenant the header is ignored.
   */
  private async bindToDpopKey(tenant: Tenant, draft: AuthorizeDraft, header: string | readonly string[] | undefined): Promise<void> {
    if (header === undefined || !this.dpop.policy(tenant).enabled) return;
    const proof = await this.dpop.verify(tenant, header, { method: 'POST', url: `${draft.issuer}/par` });
    const named = draft.params['dpop_jkt'];
    if (named !== undefined && named !== proof.jkt) throw new InvalidDpopProof({ hint: 'dpop_jkt is not the key of the DPoP proof' });
    draft.params = { ...draft.params, dpop_jkt: proof.jkt };
  }

  /** RFC 9126 §3: with a request object, only its parameters count; else the form's, without client authentication. */
  private async draftOf(tenant: Tenant, client: Client, form: Params): Promise<AuthorizeDraft> {
    const issuer = this.directory.issuer(tenant);
    const base = { tenant, issuer, client, pushed: true };
    const jwt = form['request'];
    if (jwt === undefined) {
      const params = Object.fromEntries(Object.entries(form).filter(([name]) => !CLIENT_AUTH_PARAMS.includes(name)));
      return { ...base, params: { ...params, client_id: client.clientId } };
    }
    if (tenant.requestObjects === 'disabled') throw new RequestNotSupported();
    return {
      ...base,
      params: await requestObjectParams(jwt, client, issuer, this.clock.now(), clientSigningAlgorithms(tenant)),
      signed: true,
    };
  }
}

function definedParams(params: Params): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
