import { Injectable } from '@nestjs/common';
import type { Client, Tenant } from '@gatehouse/persistence';
import { InvalidDpopProof, InvalidRequest } from '@gatehouse/protocol';
import { DpopVerifier } from '../../dpop/dpop-verifier.js';

/** What the controller hands over of DPoP: the raw header(s), and how to send a DPoP-Nonce back. */
export interface TokenDpopInput {
  readonly header: string | readonly string[] | undefined;
  readonly sendNonce: (nonce: string) => void;
}

export const NO_DPOP: TokenDpopInput = { header: undefined, sendNonce: () => undefined };

/** The key a token request proved possession of (RFC 9449 §5): its thumbprint binds what is issued. */
export interface DpopBinding {
  readonly jkt: string;
}

/** RFC 9449 §5 at the token endpoint: no header is one property read; a header is a full proof check. */
@Injectable()
export class TokenDpop {
  constructor(private readonly verifier: DpopVerifier) {}

  async bind(tenant: Tenant, client: Client, tokenUrl: string, input: TokenDpopInput): Promise<DpopBinding | null> {
    if (input.header === undefined) {
      // §5.2: dpop_bound_access_tokens makes a proof mandatory.
      if (client.dpopBoundAccessTokens) throw new InvalidDpopProof({ hint: 'this client must send a DPoP proof' });
      return null;
    }
    const policy = this.verifier.policy(tenant);
    if (!policy.enabled) {
      // A server without DPoP ignores the header and issues Bearer tokens (§5); a client that
      // registered for bound tokens must not silently get unbound ones.
      if (client.dpopBoundAccessTokens) throw new InvalidRequest({ hint: 'DPoP is not enabled for this tenant' });
      return null;
    }
    const proof = await this.verifier.verify(tenant, input.header, { method: 'POST', url: tokenUrl });
    const nonce = this.verifier.nonceToSend(tenant);
    if (nonce !== undefined) input.sendNonce(nonce);
    return { jkt: proof.jkt };
  }
}
