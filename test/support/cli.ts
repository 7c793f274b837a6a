import 'reflect-metadata';
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
