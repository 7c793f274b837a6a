import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

export const keysRotate: CliCommand = {
  name: 'keys rotate',
  summary: "Rotate a tenant's signing keys (old keys keep verifying until they expire)",
  usage: 'keys rotate --tenant SLUG',
  options: { tenant: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    const tenant = values['tenant'];
    if (positionals.length > 0 || typeof tenant !== 'string') throw new UsageError('keys rotate needs --tenant');
    const result = await services.keys.rotate(tenant);
    const keys = result.keys.map((key) => ({ kid: key.kid, alg: key.alg, activates_at: key.activatesAt.toISOString() }));
    output.result(
      { tenant: result.tenant, keys },
      [
        `Rotated keys of tenant ${result.tenant} (published now, signing from the time shown):`,
        ...keys.map((k) => `  ${k.alg.padEnd(6)} ${k.kid}  ${k.activates_at}`),
      ].join('\n'),
    );
  },
};
