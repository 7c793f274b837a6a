import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

export const adminToken: CliCommand = {
  name: 'admin token',
  summary: 'Mint a short-lived admin API access token (audited as the local operator)',
  usage: 'admin token [--tenant SLUG] [--role platform_admin|tenant_admin|security_analyst] [--dpop-jkt THUMBPRINT]',
  options: { tenant: { type: 'string' }, role: { type: 'string' }, 'dpop-jkt': { type: 'string' } },
  async run({ services, output }, positionals, values) {
    if (positionals.length > 0) throw new UsageError('admin token takes no arguments');
    const { accessToken, expiresIn } = await services.adminTokens.mint({
      tenant: values['tenant'] as string | undefined,
      role: values['role'] as string | undefined,
      dpopJkt: values['dpop-jkt'] as string | undefined,
    });
    // RFC 9449 §5: a bound token is presented with the DPoP scheme, so say so; the unbound answer is unchanged.
    const bound = values['dpop-jkt'] === undefined ? {} : { token_type: 'DPoP' };
    output.result({ access_token: accessToken, expires_in: expiresIn, ...bound }, accessToken);
  },
};
