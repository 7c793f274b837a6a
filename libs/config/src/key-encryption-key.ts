import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config-error.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-files.js';

const KEY_FILE = 'key-encryption-key';

/**
 * Outside production a missing KEY_ENCRYPTION_KEY is generated once into the data
 * folder (mode 0600, the folder 0700 even when it already existed more open) so a first run
 * needs no setup; production must supply one.
 */
export function loadOrCreateDevelopmentKey(dataDir: string): { key: Buffer; created: boolean } {
  const path = join(dataDir, KEY_FILE);
  try {
    ensurePrivateDir(dataDir);
    if (existsSync(path)) chmodSync(path, PRIVATE_FILE_MODE);
  } catch (error) {
    throw new ConfigError([`DATA_DIR: ${error instanceof Error ? error.message : String(error)}`]);
  }
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== 32) {
      throw new ConfigError([`KEY_ENCRYPTION_KEY: the generated key in ${path} is not 32 bytes; restore it or set the variable`]);
    }
    return { key, created: false };
  }
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  chmodSync(path, PRIVATE_FILE_MODE);
  return { key, created: true };
}
