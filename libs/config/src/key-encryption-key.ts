import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config-error.js';

const KEY_FILE = 'key-encryption-key';

/**
 * Outside production a missing KEY_ENCRYPTION_KEY is generated once into the data
 * folder (mode 0600) so a first run needs no setup; production must supply one.
 */
export function loadOrCreateDevelopmentKey(dataDir: string): { key: Buffer; created: boolean } {
  const path = join(dataDir, KEY_FILE);
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== 32) {
      throw new ConfigError([`KEY_ENCRYPTION_KEY: the generated key in ${path} is not 32 bytes; restore it or set the variable`]);
    }
    return { key, created: false };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { key, created: true };
}
