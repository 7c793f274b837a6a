import { Injectable } from '@nestjs/common';
import { GatehouseMetrics, type RequestNotes } from '@gatehouse/observability';
import { Clock, certificateBindingProblem, DPOP_ALGORITHMS, DpopResourceRefusal, InvalidToken, OAuthError } from '@gatehouse/protocol';
import { SIGNING_ALGORITHMS, TenantKeyCache, TokenVerificationError, verifyAccessToken } from '@gatehouse/tokens';
import { tokenBindingOf, type Tenant } from '@gatehouse/persistence';
import { DpopVerifier } from '../../dpop/dpop-verifier.js';
import { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { UserinfoStorage } from '../token-reads.storage.js';
import { claimsForScopes } from './claims.js';
import { boundJkt, presentedToken, type PresentedToken, type UserinfoPresentation } from './userinfo-credentials.js';

const ACCEPTED_ALGORITHMS = [...SIGNING_ALGORITHMS];

/** OIDC Core §5.3: claims about the token's subject, by the scopes the token carries. */
@Injectable()
export class UserinfoService {
  constructor(
    private readonly storage: UserinfoStorage,
    private readonly directory: TenantDirectory,
    private readonly keys: TenantKeyCache,
    private readonly metrics: GatehouseMetrics,
    private readonly clock: Clock,
    private readonly dpop: DpopVerifier,
  ) {}

  /** `notes` gets the token's client, for the request's log line. */
  async claims(slug: string, presentation: UserinfoPresentation, body: unknown, notes?: RequestNotes): Promise<Record<string, unknown>> {
    const tenant = await this.directory.tenant(slug);
    const { metrics } = this;
    const count = (result: 'valid' | 'invalid') =>
      metrics.tokenValidations.inc({ tenant: metrics.tenants.of(tenant.slug), validator: 'userinfo', result });
    try {
      const claims = await this.validatedClaims(tenant, presentation, body, notes);
      count('valid');
      return claims;
    } catch (error) {
      if (error instanceof InvalidToken || error instanceof DpopResourceRefusal) count('invalid');
      throw error;
    }
  }

  private async validatedClaims(
    tenant: Tenant,
    presentation: UserinfoPresentation,
    body: unknown,
    notes: RequestNotes | undefined,
  ): Promise<Record<string, unknown>> {
    const presented = presentedToken(presentation.authorization, body);
    const { token } = presented;
    const issuer = this.directory.issuer(tenant);
    let claims: Record<string, unknown>;
    try {
      claims = await verifyAccessToken(token, {
        issuer,
        // Only tokens issued for userinfo (no resource): a token for an API must not read the user's profile.
        audience: issuer,
        keyFor: (kid) => this.keys.verificationKey(tenant.id, kid),
        now: this.clock.now(),
        algorithms: ACCEPTED_ALGORITHMS,
      });
    } catch (error) {
      if (!(error instanceof TokenVerificationError)) throw error;
      if (presented.scheme === 'DPoP') throw refusal('invalid_token', 'The access token is invalid', error.reason);
      throw new InvalidToken({ cause: error.reason });
    }
    await this.checkBinding(tenant, presented, presentation, claims);
    const certificateProblem = certificateBindingProblem(claims, presentation.certificate);
    if (certificateProblem !== null) throw new InvalidToken({ cause: certificateProblem });
    // Two independent reads, sent together; the standing still decides first, as if read one after the other.
    const subject = typeof claims['sub'] === 'string' ? claims['sub'] : null;
    const userRead = subject === null ? Promise.resolve(null) : this.storage.user(tenant.id, subject);
    userRead.catch(() => undefined); // read below unless the standing refuses first
    const standing = await this.storage.standing(tenant.id, tokenBindingOf(claims), this.clock.now());
    // Revoked, its grant or session ended, its user disabled: RFC 6750 §3.1 invalid_token.
    if (!standing.standing) throw new InvalidToken({ cause: standing.reason });
    if (notes && typeof claims['client_id'] === 'string') notes.clientId = claims['client_id'];
    const scopes = typeof claims['scope'] === 'string' ? claims['scope'].split(' ') : [];
    if (!scopes.includes('openid')) throw new InvalidToken({ cause: 'no openid scope', hint: 'the token lacks the openid scope' });
    const user = await userRead;
    if (!user || user.status !== 'active') throw new InvalidToken({ cause: 'subject gone' });
    return claimsForScopes(user, scopes);
  }

  /**
   * RFC 9449 §7: a bound token only with the DPoP scheme and a proof by its key (with ath);
   * the DPoP scheme only with a bound token.
   */
  private async checkBinding(
    tenant: Tenant,
    presented: PresentedToken,
    presentation: UserinfoPresentation,
    claims: Record<string, unknown>,
  ): Promise<void> {
    const jkt = boundJkt(claims);
    if (presented.scheme === 'Bearer') {
      if (jkt !== undefined)
        throw new InvalidToken({ hint: 'a DPoP-bound token needs the DPoP scheme and a proof', cause: 'DPoP token as Bearer' });
      return;
    }
    if (jkt === undefined) throw refusal('invalid_token', 'The access token is not DPoP-bound', 'Bearer token with the DPoP scheme');
    let proofJkt: string;
    try {
      const url = `${this.directory.issuer(tenant)}/userinfo`;
      ({ jkt: proofJkt } = await this.dpop.verify(tenant, presentation.dpop, {
        method: presentation.method,
        url,
        accessToken: presented.token,
      }));
    } catch (error) {
      if (error instanceof OAuthError && (error.error === 'invalid_dpop_proof' || error.error === 'use_dpop_nonce'))
        throw DpopResourceRefusal.from(error, DPOP_ALGORITHMS);
      throw error;
    }
    if (proofJkt !== jkt) throw refusal('invalid_dpop_proof', 'The DPoP proof is invalid', 'the proof key is not the token key');
  }
}

function refusal(code: 'invalid_token' | 'invalid_dpop_proof', description: string, cause: string): DpopResourceRefusal {
  return new DpopResourceRefusal(code, description, { algs: DPOP_ALGORITHMS, cause });
}
