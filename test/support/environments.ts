import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type GatehouseConfig } from '@gatehouse/config';

/** A private DATA_DIR per test, so embedded databases and generated keys never collide. */
export function scratchDataDir(prefix = 'gh-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * The environment a spawned Gatehouse process gets: the run's DATABASE_URL and
 * REDIS_URL when the runner set them (or none, for the embedded defaults), a
 * scratch DATA_DIR, free ports.
 */
export function processEnv(overrides: Record<string, string | undefined> = {}, options: { embedded?: boolean } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATA_DIR: scratchDataDir(),
    AUTHORIZATION_PORT: '0',
    ADMIN_PORT: '0',
    WORKER_PORT: '0',
    LISTEN_HOST: '127.0.0.1',
    // A developer's .env must not reach the processes a test starts.
    ENV_FILE: '',
  };
  if (!options.embedded) {
    if (process.env['KEY_ENCRYPTION_KEY']) env['KEY_ENCRYPTION_KEY'] = process.env['KEY_ENCRYPTION_KEY'];
    if (process.env['DATABASE_URL']) env['DATABASE_URL'] = process.env['DATABASE_URL'];
    if (process.env['REDIS_URL']) env['REDIS_URL'] = process.env['REDIS_URL'];
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** In-process configuration with the same rules as a spawned process. */
export function testConfig(overrides: Record<string, string | undefined> = {}, options: { embedded?: boolean } = {}): GatehouseConfig {
  return loadConfig(processEnv(overrides, options));
}
