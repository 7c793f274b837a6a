import 'reflect-metadata';
import { after, before } from 'node:test';
import { openDatabase, type Database } from '@gatehouse/persistence';
import { runCli as runGatehouseCli } from '../../apps/admin/src/cli/run-cli.js';
import type { CliRun } from './processes.js';

/**
 * Runs a gatehouse CLI command in this process, with exactly the given environment and stdin:
 * the same `runCli` the binary runs, its output captured, without a process start per command.
 * `runCliProcess` runs the real binary, for what only a process shows (exit codes, stdin, crashes).
 */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runGatehouseCli(args, env, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readStdin: () => Promise.resolve(stdin ?? ''),
  });
  return { code, stdout, stderr };
}

/**
 * Keeps the embedded database in `env`'s DATA_DIR open in this process for the rest of the current
 * suite (a `before` and an `after` hook), as a running server does: each command then joins it over
 * its socket (about 15 ms) instead of opening PGlite itself (about 0.4 s). With DATABASE_URL there is
 * nothing to hold. A command's own opening of a closed DATA_DIR is covered by first-run.e2e-spec.
 */
export function holdEmbeddedDatabase(env: NodeJS.ProcessEnv): void {
  let database: Database | undefined;
  before(async () => {
    const dataDir = env['DATA_DIR'];
    if (!env['DATABASE_URL'] && dataDir) database = await openDatabase({ kind: 'embedded', dataDir });
  });
  after(async () => {
    await database?.close();
  });
}
