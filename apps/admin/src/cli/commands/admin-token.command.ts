import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

export const adminToken: CliCommand = {
  name: 'admin token',
  summary: 'Mint a short-lived admin API access token (audited as the local operator)',
  usage: 'admin token [--tenant SLUG] [--role platform_admin|tenant_admin|security_analyst]',
  options: { tenant: { type: 'string' }, role: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    if (positionals.length > 0) throw new UsageError('admin token takes no arguments');
    const { accessToken, expiresIn } = await services.adminTokens.mint({
      tenant: values['tenant'] as string | undefined,
      role: values['role'] as string | undefined,
    });
    output.result({ access_token: accessToken, expires_in: expiresIn }, accessToken);
  },
};
