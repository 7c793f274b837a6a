import { presentRegistrationPolicy } from '../../registration-tokens/registration-token.presenter.js';
import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

export const registrationTokenCreate: CliCommand = {
  name: 'registration-token create',
  summary: 'Create an initial access token for dynamic client registration (RFC 7591)',
  usage:
    'registration-token create --tenant SLUG [--expires-in SECONDS] [--grant-type G]... [--scope "a b"] [--api IDENTIFIER]... [--auth-method M]...',
  options: {
    tenant: { type: 'string' },
    'expires-in': { type: 'string' },
    'grant-type': { type: 'string', multiple: true },
    scope: { type: 'string' },
    api: { type: 'string', multiple: true },
    'auth-method': { type: 'string', multiple: true },
  },
  async run({ services, output }, positionals, values) {
    const tenant = values['tenant'];
    if (positionals.length > 0 || typeof tenant !== 'string') throw new UsageError('registration-token create needs --tenant');
    const raw = values['expires-in'];
    const expiresIn = raw === undefined ? undefined : /^\d+$/.test(String(raw)) ? Number(raw) : NaN;
    const scope = values['scope'] as string | undefined;
    const { token, registrationToken } = await services.registrationTokens.create(tenant, expiresIn, undefined, {
      grantTypes: values['grant-type'] as string[] | undefined,
      scopes: scope === undefined ? undefined : scope.split(' ').filter((item) => item.length > 0),
      apis: values['api'] as string[] | undefined,
      tokenEndpointAuthMethods: values['auth-method'] as string[] | undefined,
    });
    const policy = presentRegistrationPolicy(registrationToken.policy);
    output.result(
      { token, policy },
      [
        `Initial access token for ${tenant} (expires ${registrationToken.expiresAt.toISOString()}; shown once):`,
        token,
        `It may register grant types: ${registrationToken.policy.grantTypes.join(' ')}`,
        `  scopes: ${registrationToken.policy.scopes.join(' ') || '(none)'}${registrationToken.policy.apis.length ? ` and every scope of ${registrationToken.policy.apis.join(' ')}` : ''}`,
        `  auth methods: ${registrationToken.policy.tokenEndpointAuthMethods.join(' ')}`,
      ].join('\n'),
    );
  },
};
