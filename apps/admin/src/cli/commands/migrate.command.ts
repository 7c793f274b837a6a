import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

/** Start-up has already applied pending migrations under the migration lock; this reports them. */
export const migrate: CliCommand = {
  name: 'migrate',
  summary: 'Apply pending database migrations',
  usage: 'migrate',
  options: {},
  run({ infrastructure, output }, positionals) {
    if (positionals.length > 0) throw new UsageError('migrate takes no arguments');
    const applied = [...infrastructure.appliedMigrations];
    output.result(
      { applied },
      applied.length === 0
        ? 'The database is up to date.'
        : `Applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}`).join('\n')}`,
    );
  },
};
