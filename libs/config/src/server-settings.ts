import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { GatehouseConfig } from './config.types.js';
import { writePrivateFile } from './private-files.js';

const FILE = 'server-settings.json';

/**
 * `npm start` on the embedded database writes the settings a CLI run must share with it into
 * DATA_DIR, where the CLI finds the database too: a CLI run without PUBLIC_URL then mints tokens
 * for the issuer the server actually has, not the default's.
 */
export function recordServerSettings(config: GatehouseConfig): void {
  if (config.database.kind !== 'embedded') return;
  writePrivateFile(join(config.dataDir, FILE), `${JSON.stringify({ PUBLIC_URL: config.publicUrl })}\n`);
}

/** The environment with the running embedded server's PUBLIC_URL under it (the environment and .env win). */
export function withServerSettings(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): NodeJS.ProcessEnv {
  if (env['PUBLIC_URL'] !== undefined || (env['DATABASE_URL'] ?? '').trim() !== '') return env;
  const dataDir = env['DATA_DIR']?.trim() || './data';
  let recorded: unknown;
  try {
    recorded = JSON.parse(readFileSync(join(isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir), FILE), 'utf8'));
  } catch {
    return env; // no server has run here yet, or the file is damaged: the defaults apply
  }
  const publicUrl = (recorded as { PUBLIC_URL?: unknown } | null)?.PUBLIC_URL;
  return typeof publicUrl === 'string' ? { ...env, PUBLIC_URL: publicUrl } : env;
}
