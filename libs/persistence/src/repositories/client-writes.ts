import type { ConfigChangePublisher } from '../redis/config-change-channel.js';
import type { Client, ClientChanges } from './client.repository.js';
import type { Persistence, Repositories } from './repositories.js';

/** Writes a change's audit events in the change's own transaction. */
export type AuditInTransaction = (repos: Repositories, client: Client) => Promise<void>;

/**
 * The one sequence every change to an existing client follows, from the admin API and from
 * RFC 7592 alike: a write conditional on the version the caller read (its updated_at), the audit
 * events in the same transaction, then the change announced, so every instance drops its
 * cached copy. Validation comes before, and is each caller's own (admin rules, registration policy).
 */
export class ClientWrites {
  constructor(
    private readonly persistence: Persistence,
    private readonly announce: ConfigChangePublisher,
  ) {}

  /** The client as changed; null when it changed or was deleted since `expected` was read (nothing written). */
  async update(expected: Client, changes: ClientChanges, audit: AuditInTransaction): Promise<Client | null> {
    const updated = await this.persistence.transaction(async (repos) => {
      const written = await repos.clients.updateIfUnchanged(expected.tenantId, expected.clientId, expected.updatedAt, changes);
      if (written) await audit(repos, written);
      return written;
    });
    if (updated) await this.announce({ kind: 'client', tenantId: expected.tenantId, clientId: expected.clientId });
    return updated;
  }

  /** False when the client was deleted meanwhile (nothing written). */
  async delete(client: Client, audit: AuditInTransaction): Promise<boolean> {
    const deleted = await this.persistence.transaction(async (repos) => {
      const gone = await repos.clients.delete(client.tenantId, client.clientId);
      if (gone) await audit(repos, client);
      return gone;
    });
    if (deleted) await this.announce({ kind: 'client', tenantId: client.tenantId, clientId: client.clientId });
    return deleted;
  }
}
