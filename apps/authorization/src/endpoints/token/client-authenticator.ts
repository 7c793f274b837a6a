import { Injectable } from '@nestjs/common';
import type { Client, Tenant } from '@gatehouse/persistence';
import { authenticateClient, extractClientCredentials, InvalidClient, type PresentedClientAuth } from '@gatehouse/protocol';
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
        secretHashes: client.secretHash ? [client.secretHash] : [],
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
}
