import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { hkdfSync } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { GatehouseConfig } from '@gatehouse/config';
import type { Tenant } from '@gatehouse/persistence';
import {
  Clock,
  DpopNonces,
  FAPI2_SIGNING_ALGORITHMS,
  resolveDpopPolicy,
  singleDpopProof,
  verifyDpopProof,
  type AssertionReplayStore,
  type DpopNonceCheck,
  type DpopPolicy,
  type VerifiedDpopProof,
} from '@gatehouse/protocol';
import { DPOP_REPLAY } from '../runtime/injection-tokens.js';
import { isFapi2 } from '../tenancy/security-profile.js';

export interface DpopTarget {
  readonly method: string;
  /** The endpoint's public URL (issuer + path), never built from the Host header. */
  readonly url: string;
  /** At a protected resource: the access token the proof must hash (ath). */
  readonly accessToken?: string;
}

/**
 * RFC 9449 for the authorization server's endpoints: the tenant's policy, one proof per request
 * checked against the public URL, jti single use across instances, stateless server nonces.
 */
@Injectable()
export class DpopVerifier {
  private readonly nonces: DpopNonces;

  constructor(
    @Inject(GATEHOUSE_CONFIG) config: GatehouseConfig,
    private readonly clock: Clock,
    @Inject(DPOP_REPLAY) private readonly replay: AssertionReplayStore,
  ) {
    // Its own key, derived from the key-encryption key: every instance computes the same nonces.
    const secret = new Uint8Array(hkdfSync('sha256', config.keyEncryptionKey, new Uint8Array(0), 'gatehouse dpop nonce', 32));
    this.nonces = new DpopNonces(secret, () => clock.now());
  }

  policy(tenant: Tenant): DpopPolicy {
    return resolveDpopPolicy(tenant.dpopPolicy);
  }

  /** The DPoP-Nonce to send with a response, when the tenant requires nonces (§8.2: clients keep the latest). */
  nonceToSend(tenant: Tenant): string | undefined {
    const policy = this.policy(tenant);
    return policy.enabled && policy.requireNonce ? this.nonces.current(tenant.id) : undefined;
  }

  async verify(tenant: Tenant, header: string | readonly string[] | undefined, target: DpopTarget): Promise<VerifiedDpopProof> {
    const policy = this.policy(tenant);
    return verifyDpopProof(singleDpopProof(header), {
      method: target.method,
      url: target.url,
      now: this.clock.now(),
      maxAgeSeconds: policy.proofMaxAgeSeconds,
      ...(target.accessToken === undefined ? {} : { accessToken: target.accessToken }),
      ...(policy.requireNonce ? { nonce: this.nonceCheck(tenant) } : {}),
      replay: this.replay,
      replayScope: tenant.id,
      // FAPI 2.0 §5.4.1: the profile's algorithms for every signature, proofs included.
      ...(isFapi2(tenant) ? { algorithms: FAPI2_SIGNING_ALGORITHMS } : {}),
    });
  }

  private nonceCheck(tenant: Tenant): DpopNonceCheck {
    return {
      isValid: (nonce) => this.nonces.isValid(tenant.id, nonce),
      current: () => this.nonces.current(tenant.id),
    };
  }
}
