import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

export const apiCreate: CliCommand = {
  name: 'api create',
  summary: 'Register an API (resource server) with its scopes in a tenant',
  usage: 'api create --tenant SLUG --identifier URI --scope "a b" [--name NAME]',
  options: { tenant: { type: 'string' }, identifier: { type: 'string' }, scope: { type: 'string' }, name: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    const { tenant, identifier, scope, name } = values;
    if (positionals.length > 0 || typeof tenant !== 'string' || typeof identifier !== 'string' || typeof scope !== 'string') {
      throw new UsageError('api create needs --tenant, --identifier and --scope');
    }
    const api = await services.apis.create({ tenant, identifier, scope, name: name as string | undefined });
    output.result({ id: api.id, identifier: api.identifier }, `Created API ${api.identifier} (scopes: ${api.scopes.join(' ')})`);
  },
};
