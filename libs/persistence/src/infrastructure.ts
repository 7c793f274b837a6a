import type { GatehouseConfig } from '@gatehouse/config';
import { openDatabase, type Database } from './database.js';
import { runMigrations } from './migrator.js';
import { openRedis, type RedisConnection } from './redis/redis-connection.js';
import { Persistence } from './repositories/repositories.js';

export interface Infrastructure {
  readonly database: Database;
  readonly persistence: Persistence;
  readonly redis: RedisConnection | undefined;
  readonly appliedMigrations: readonly string[];
  close(): Promise<void>;
}

/** Opens the database (migrated) and Redis when configured: everything a process holds state in. */
export async function openInfrastructure(config: GatehouseConfig): Promise<Infrastructure> {
  const database = await openDatabase(config.database);
  let redis: RedisConnection | undefined;
  try {
    const { applied } = await runMigrations(database);
    redis = config.redisUrl ? await openRedis(config.redisUrl) : undefined;
    return {
      database,
      persistence: new Persistence(database),
      redis,
      appliedMigrations: applied,
      close: async () => {
        await redis?.close();
        await database.close();
      },
    };
  } catch (error) {
    await redis?.close();
    await database.close();
    throw error;
  }
}
