import type { GatehouseConfig } from '@gatehouse/config';
import type { Infrastructure } from '@gatehouse/persistence';
import type { AdminServices } from '../admin-services.js';
import type { CliOutput } from './cli-output.js';

export interface CliContext {
  readonly config: GatehouseConfig;
  readonly infrastructure: Infrastructure;
  readonly services: AdminServices;
  readonly output: CliOutput;
  readonly readStdin: () => Promise<string>;
}

export interface CliCommand {
  /** e.g. "tenant create"; matched against the leading positional words. */
  readonly name: string;
  readonly usage: string;
  /** One line for `--help` and the command list. */
  readonly summary: string;
  readonly options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
  /** A command may return its exit code (a check that ran and found a problem); otherwise 0. */
  run(
    context: CliContext,
    positionals: string[],
    values: Record<string, string | boolean | string[] | undefined>,
  ): Promise<void | number> | void | number;
}
