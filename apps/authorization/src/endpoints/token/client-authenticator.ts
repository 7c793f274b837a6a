import { Injectable } from '@nestjs/common';
import type { Client, Tenant } from '@gatehouse/persistence';
import {
  authenticateClient,
  extractClientCredentials,
  InvalidClient,
  usesClientSecret,
  type PresentedClientAuth,
} from '@gatehouse/protocol';
import { verifyOpaqueSecret } from '@gatehouse/tokens';
import type { Params } from '../../http/request-params.js';
import { AuthorizationRuntime } from '../../runtime/authorization-runtime.js';

/** Token endpoint client authentication (OAuth 2.1 §2.4, RFC 7523); every failure is 401 invalid_client. */
@Injectable()
export class ClientAuthenticator {
  constructor(private readonly runtime: AuthorizationRuntime) {}

  async authenticate(tenant: Tenant, authorization: string | undefined, form: Params): Promise<Client> {
    const presented: PresentedClientAuth = extractClientCredentials({ authorization, body: form });
    const client = await this.runtime.clients.find(tenant.id, presented.clientId);
    const basic = presented.method === 'client_secret_basic';
    if (!client) throw new InvalidClient({ basic, cause: 'unknown client_id' });
    const issuer = this.runtime.issuer(tenant);
    await authenticateClient(
      presented,
      {
        clientId: client.clientId,
        tokenEndpointAuthMethod: client.tokenEndpointAuthMethod as PresentedClientAuth['method'],
        secretHashes:
          presented.method === client.tokenEndpointAuthMethod && usesClientSecret(presented.method)
            ? await this.secretHashes(tenant, client.clientId)
            : [],
        jwks: client.jwks,
      },
      {
        issuer,
        tokenEndpoint: `${issuer}/token`,
        acceptTokenEndpointAudience: tenant.acceptTokenEndpointAudience,
        now: this.runtime.now,
        verifySecret: verifyOpaqueSecret,
        // client_id is unique only within a tenant: the replay cache is keyed by both.
        replay: { markUsed: (id, jti, expiresAt) => this.runtime.replay.markUsed(`${tenant.id}:${id}`, jti, expiresAt) },
      },
    );
    return client;
  }

  /**
   * The current secret's hash and, during a rotation's grace period, the previous one. Read
   * from the database, not the client cache: a rotation takes effect at once on every instance.
   */
  private async secretHashes(tenant: Tenant, clientId: string): Promise<string[]> {
    const secrets = await this.runtime.persistence.repositories.clients.findSecrets(tenant.id, clientId);
    if (!secrets?.secretHash) return [];
    const { previousSecretHash, previousSecretExpiresAt } = secrets;
    const inGrace = previousSecretHash !== null && previousSecretExpiresAt !== null && previousSecretExpiresAt > this.runtime.now();
    return inGrace ? [secrets.secretHash, previousSecretHash] : [secrets.secretHash];
  }
}
