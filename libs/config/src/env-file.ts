import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './config-error.js';

/**
 * The environment with the variables of an env file under it: `.env` in the working directory, or
 * the file ENV_FILE names (empty: none). The environment wins over the file, so one variable can be
 * overridden for one run. The apps and the CLI both read it, so they agree on PUBLIC_URL and the rest.
 */
export function withEnvFile(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): NodeJS.ProcessEnv {
  const named = env['ENV_FILE'];
  if (named !== undefined && named.trim() === '') return env;
  const path = resolve(cwd, named ?? '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // No .env is the normal case; a file someone named that cannot be read is a mistake to report.
    if (named === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return env;
    throw new ConfigError([`ENV_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return { ...parseEnv(text), ...env };
}
