import type { X509Certificate } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { RequestNotes } from '@gatehouse/observability';
import type { Client, Tenant } from '@gatehouse/persistence';
import {
  Clock,
  authenticateClient,
  extractClientCredentials,
  FAPI2_SIGNING_ALGORITHMS,
  InvalidClient,
  usesClientSecret,
  type AssertionReplayStore,
  type PresentedClientAuth,
  type TlsClientAuthSubject,
  type TokenEndpointAuthMethod,
} from '@gatehouse/protocol';
import { verifyOpaqueSecret } from '@gatehouse/tokens';
import type { Params } from '../../http/request-params.js';
import { ASSERTION_REPLAY, TRUSTED_CLIENT_CAS } from '../../runtime/injection-tokens.js';
import { ClientCache } from '../../tenancy/client-cache.js';
import { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { assertClientFitsProfile, isFapi2 } from '../../tenancy/security-profile.js';

/** Token endpoint client authentication (OAuth 2.1 §2.4, RFC 7523); every failure is 401 invalid_client. */
@Injectable()
export class ClientAuthenticator {
  constructor(
    private readonly clients: ClientCache,
    private readonly directory: TenantDirectory,
    private readonly clock: Clock,
    @Inject(ASSERTION_REPLAY) private readonly replay: AssertionReplayStore,
    @Inject(TRUSTED_CLIENT_CAS) private readonly trustedClientCas: () => readonly X509Certificate[],
  ) {}

  /** `notes` gets the authenticated client, for the request's log line. */
  async authenticate(
    tenant: Tenant,
    authorization: string | undefined,
    form: Params,
    notes?: RequestNotes,
    certificate?: X509Certificate,
  ): Promise<Client> {
    const presented: PresentedClientAuth = extractClientCredentials({
      authorization,
      body: form,
      certificate: tenant.mtlsEnabled ? certificate : undefined,
    });
    const client = await this.clients.find(tenant.id, presented.clientId);
    const basic = presented.method === 'client_secret_basic';
    if (!client) throw new InvalidClient({ basic, cause: 'unknown client_id' });
    const usesSecret = presented.method === client.tokenEndpointAuthMethod && usesClientSecret(presented.method);
    try {
      await this.check(tenant, presented, client, usesSecret ? this.secretHashes(client) : []);
    } catch (error) {
      // The cached client may predate a rotation made on another instance: a secret the cache does
      // not know is checked once more against the database before it is refused.
      if (!(error instanceof InvalidClient) || !usesSecret) throw error;
      const fresh = await this.clients.storedSecrets(tenant.id, client.clientId);
      const hashes = fresh ? this.secretHashes(fresh) : [];
      if (sameHashes(hashes, this.secretHashes(client))) throw error;
      this.clients.invalidate(tenant.id, client.clientId);
      await this.check(tenant, presented, client, hashes);
    }
    // Only once the caller has proved it is the client: then why its registration falls outside the profile.
    assertClientFitsProfile(tenant, client);
    if (notes) notes.clientId = client.clientId;
    return client;
  }

  private async check(tenant: Tenant, presented: PresentedClientAuth, client: Client, secretHashes: string[]): Promise<void> {
    const issuer = this.directory.issuer(tenant);
    await authenticateClient(
      presented,
      {
        clientId: client.clientId,
        tokenEndpointAuthMethod: client.tokenEndpointAuthMethod as TokenEndpointAuthMethod,
        secretHashes,
        jwks: client.jwks,
        tlsClientAuthSubject: client.tlsClientAuthSubject as TlsClientAuthSubject | null,
      },
      {
        issuer,
        tokenEndpoint: `${issuer}/token`,
        acceptTokenEndpointAudience: tenant.acceptTokenEndpointAudience,
        ...(isFapi2(tenant) ? { assertionAlgorithms: FAPI2_SIGNING_ALGORITHMS } : {}),
        trustedClientCas: this.trustedClientCas(),
        now: () => this.clock.now(),
        verifySecret: verifyOpaqueSecret,
        // client_id is unique only within a tenant: the replay cache is keyed by both.
        replay: { markUsed: (id, jti, expiresAt) => this.replay.markUsed(`${tenant.id}:${id}`, jti, expiresAt) },
      },
    );
  }

  /**
   * The current secret's hash and, during a rotation's grace period, the previous one. From the
   * client cache on the hot path: rotations drop the cached client on every instance (config-change
   * channel), and the grace period ends by the clock, not by the cache.
   */
  private secretHashes(secrets: Pick<Client, 'secretHash' | 'previousSecretHash' | 'previousSecretExpiresAt'>): string[] {
    if (!secrets.secretHash) return [];
    const { previousSecretHash, previousSecretExpiresAt } = secrets;
    const inGrace = previousSecretHash !== null && previousSecretExpiresAt !== null && previousSecretExpiresAt > this.clock.now();
    return inGrace ? [secrets.secretHash, previousSecretHash] : [secrets.secretHash];
  }
}

function sameHashes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((hash, index) => hash === b[index]);
}
