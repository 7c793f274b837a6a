import type { GatehouseConfig } from '@gatehouse/config';
import { openDatabase, type Database } from './database.js';
import { runMigrations } from './migrator.js';
import { openRedis, type RedisConnection } from './redis/redis-connection.js';
import { Persistence } from './repositories/repositories.js';
import { UnreachableService } from './unreachable-service.js';

export interface Infrastructure {
  readonly database: Database;
  readonly persistence: Persistence;
  readonly redis: RedisConnection | undefined;
  readonly appliedMigrations: readonly string[];
  /** Database always; Redis when configured (no Redis, no check). */
  readonly readinessChecks: readonly { name: string; check: () => Promise<void> }[];
  close(): Promise<void>;
}

/** Opens the database (migrated) and Redis when configured: everything a process holds state in. */
export async function openInfrastructure(config: GatehouseConfig): Promise<Infrastructure> {
  const databaseUrl = config.database.kind === 'postgres' ? config.database.url : undefined;
  const database = await openDatabase(config.database).catch((error: unknown) => {
    throw databaseUrl ? new UnreachableService('DATABASE_URL', databaseUrl, error) : error;
  });
  let redis: RedisConnection | undefined;
  try {
    const { applied } = await runMigrations(database);
    const redisUrl = config.redisUrl;
    redis = redisUrl
      ? await openRedis(redisUrl).catch((error: unknown) => {
          throw new UnreachableService('REDIS_URL', redisUrl, error);
        })
      : undefined;
    const redisConnection = redis;
    return {
      database,
      persistence: new Persistence(database),
      redis,
      appliedMigrations: applied,
      readinessChecks: [
        { name: 'database', check: () => database.ping() },
        ...(redisConnection ? [{ name: 'redis', check: () => redisConnection.ping() }] : []),
      ],
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

export interface StartupLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Opens the infrastructure and says what it is using, as every entry point should at start-up. */
export async function startInfrastructure(config: GatehouseConfig, log: StartupLog): Promise<Infrastructure> {
  const infrastructure = await openInfrastructure(config);
  log.info(`Database: ${infrastructure.database.description}`);
  if (infrastructure.database.embedded) {
    log.warn('The embedded database serves one process only: set DATABASE_URL (PostgreSQL) and REDIS_URL to run several instances');
  }
  for (const name of infrastructure.appliedMigrations) log.info(`Applied migration ${name}`);
  log.info(infrastructure.redis ? 'Redis: connected' : 'Redis: not configured, using in-process queues and stores');
  return infrastructure;
}
