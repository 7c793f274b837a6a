import type { EntityManager } from 'typeorm';
import type { Database } from '../database.js';
import { ClientRepository } from './client.repository.js';
import { SigningKeyRepository } from './signing-key.repository.js';
import { TenantRepository } from './tenant.repository.js';
import { UserRepository } from './user.repository.js';

export interface Repositories {
  readonly tenants: TenantRepository;
  readonly users: UserRepository;
  readonly clients: ClientRepository;
  readonly signingKeys: SigningKeyRepository;
}

function bind(manager: EntityManager): Repositories {
  return {
    tenants: new TenantRepository(manager),
    users: new UserRepository(manager),
    clients: new ClientRepository(manager),
    signingKeys: new SigningKeyRepository(manager),
  };
}

/** Repositories on the pool, plus a unit of work that binds them all to one transaction. */
export class Persistence {
  readonly repositories: Repositories;

  constructor(private readonly database: Database) {
    this.repositories = bind(database.dataSource.manager);
  }

  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.database.dataSource.transaction((manager) => work(bind(manager)));
  }
}
