import pg from 'pg';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '@gatehouse/config';
import { MIGRATIONS } from './migrations/index.js';

export interface Database {
  readonly dataSource: DataSource;
  /** A human description for the start-up log; never includes credentials. */
  readonly description: string;
  readonly embedded: boolean;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget = DatabaseConfig | { readonly kind: 'embedded-memory' };

/** Opens PostgreSQL (DATABASE_URL) or the embedded PGlite, without running migrations. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const dataSource = createDataSource({ url: target.url, poolSize: target.poolSize });
    await dataSource.initialize();
    return wrap(dataSource, `PostgreSQL at ${describeUrl(target.url)}`, false, () => Promise.resolve());
  }
  // Loaded only when used: PGlite's WebAssembly costs start-up time PostgreSQL deployments need not pay.
  const { openEmbeddedPostgres } = await import('./embedded/embedded-postgres.js');
  const endpoint = await openEmbeddedPostgres(target.kind === 'embedded' ? target.dataDir : 'memory://');
  try {
    // PGlite serves one statement stream at a time: one pooled connection per process.
    const dataSource = createDataSource({ host: endpoint.socketDir, port: endpoint.port, poolSize: 1 });
    await dataSource.initialize();
    const where = target.kind === 'embedded' ? target.dataDir : 'memory';
    return wrap(dataSource, `embedded PGlite (${where}${endpoint.owner ? '' : ', shared with pid of the running server'})`, true, () =>
      endpoint.close(),
    );
  } catch (error) {
    await endpoint.close();
    throw error;
  }
}

function createDataSource(connection: { url: string; poolSize: number } | { host: string; port: number; poolSize: number }): DataSource {
  return new DataSource({
    type: 'postgres',
    driver: pg,
    ...('url' in connection
      ? { url: connection.url }
      : { host: connection.host, port: connection.port, username: 'postgres', database: 'postgres' }),
    poolSize: connection.poolSize,
    extra: 'url' in connection ? {} : { idleTimeoutMillis: 1000 },
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logging: false,
  });
}

function wrap(dataSource: DataSource, description: string, embedded: boolean, closeEndpoint: () => Promise<void>): Database {
  return {
    dataSource,
    description,
    embedded,
    ping: async () => {
      await dataSource.query('SELECT 1');
    },
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await closeEndpoint();
    },
  };
}

function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}
