import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

export const registrationTokenCreate: CliCommand = {
  name: 'registration-token create',
  usage: 'registration-token create --tenant SLUG [--expires-in SECONDS]',
  options: { tenant: { type: 'string' }, 'expires-in': { type: 'string' } },
  async run({ services, output }, positionals, values) {
    const tenant = values['tenant'];
    if (positionals.length > 0 || typeof tenant !== 'string') throw new UsageError('registration-token create needs --tenant');
    const raw = values['expires-in'];
    const expiresIn = raw === undefined ? undefined : /^\d+$/.test(String(raw)) ? Number(raw) : NaN;
    const { token, registrationToken } = await services.registrationTokens.create(tenant, expiresIn);
    output.result(
      { token },
      `Initial access token for ${tenant} (expires ${registrationToken.expiresAt.toISOString()}; shown once):\n${token}`,
    );
  },
};
