import { presentApi } from '../../apis/api.presenter.js';
import { presentClient } from '../../clients/client.presenter.js';
import { LOCAL_OPERATOR } from '../../tenants/tenant.service.js';
import { presentTenant } from '../../tenants/tenant.presenter.js';
import { presentUser } from '../../users/user.presenter.js';
import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

const PAGE = 200;

type Values = Record<string, string | boolean | string[] | undefined>;

/** The named string options, or a usage error naming the command and what it needs. */
function required(command: string, values: Values, names: readonly string[]): string[] {
  const found = names.map((name) => values[name]);
  if (found.some((value) => typeof value !== 'string' || value === '')) {
    throw new UsageError(`${command} needs ${names.map((name) => `--${name}`).join(' and ')}`);
  }
  return found as string[];
}

function noPositionals(command: string, positionals: readonly string[]): void {
  if (positionals.length > 0) throw new UsageError(`${command} takes no positional arguments`);
}

function confirmed(values: Values, what: string): void {
  if (values['yes'] !== true) throw new UsageError(`deleting ${what} cannot be undone: add --yes to confirm`);
}

/** Every row of a keyset-paginated listing, page after page. */
async function all<T>(page: (after: string | null) => Promise<T[]>, cursor: (row: T) => string): Promise<T[]> {
  const rows: T[] = [];
  for (let after: string | null = null; ;) {
    const batch = await page(after);
    rows.push(...batch);
    const last = batch.at(-1);
    if (batch.length < PAGE || last === undefined) return rows;
    after = cursor(last);
  }
}

export const tenantGet: CliCommand = {
  name: 'tenant get',
  summary: "Show a tenant's settings",
  usage: 'tenant get <slug>',
  options: {},
  async run({ config, services, output }, [slug, ...extra]) {
    if (!slug || extra.length > 0) throw new UsageError('tenant get takes exactly one slug');
    const tenant = presentTenant(await services.tenants.get(slug), config.publicUrl);
    output.result(tenant, JSON.stringify(tenant, null, 2));
  },
};

export const tenantDelete: CliCommand = {
  name: 'tenant delete',
  summary: 'Delete a tenant with its users, clients, keys and audit trail; needs --yes',
  usage: 'tenant delete <slug> --yes',
  options: { yes: { type: 'boolean' } },
  async run({ services, output }, [slug, ...extra], values) {
    if (!slug || extra.length > 0) throw new UsageError('tenant delete takes exactly one slug');
    confirmed(values, `tenant ${slug} and everything in it`);
    await services.tenants.delete(slug, slug, LOCAL_OPERATOR);
    output.result({ deleted: slug }, `Deleted tenant ${slug}`);
  },
};

export const userList: CliCommand = {
  name: 'user list',
  summary: "List a tenant's users",
  usage: 'user list --tenant SLUG',
  options: { tenant: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    noPositionals('user list', positionals);
    const [tenant = ''] = required('user list', values, ['tenant']);
    const users = await all(
      (after) => services.users.listPage(tenant, after, PAGE),
      (user) => user.username,
    );
    const text =
      users.length === 0 ? 'No users.' : users.map((u) => `${u.username.padEnd(32)} ${u.status.padEnd(9)} ${u.email ?? ''}`).join('\n');
    output.result({ users: users.map((user) => presentUser(user, services.clock.now())) }, text);
  },
};

export const userGet: CliCommand = {
  name: 'user get',
  summary: 'Show one user (never a password hash)',
  usage: 'user get --tenant SLUG --username U',
  options: { tenant: { type: 'string' }, username: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    noPositionals('user get', positionals);
    const [tenant = '', username = ''] = required('user get', values, ['tenant', 'username']);
    const user = presentUser(await services.users.get(tenant, username), services.clock.now());
    output.result(user, JSON.stringify(user, null, 2));
  },
};

export const clientList: CliCommand = {
  name: 'client list',
  summary: "List a tenant's clients",
  usage: 'client list --tenant SLUG',
  options: { tenant: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    noPositionals('client list', positionals);
    const [tenant = ''] = required('client list', values, ['tenant']);
    const clients = await all(
      (after) => services.clients.listPage(tenant, after, PAGE),
      (client) => client.clientId,
    );
    const text = clients.length === 0 ? 'No clients.' : clients.map((c) => `${c.clientId.padEnd(40)} ${c.name}`).join('\n');
    output.result({ clients: clients.map(presentClient) }, text);
  },
};

export const clientGet: CliCommand = {
  name: 'client get',
  summary: 'Show one client (never its secret)',
  usage: 'client get --tenant SLUG --client-id ID',
  options: { tenant: { type: 'string' }, 'client-id': { type: 'string' } },
  async run({ services, output }, positionals, values) {
    noPositionals('client get', positionals);
    const [tenant = '', clientId = ''] = required('client get', values, ['tenant', 'client-id']);
    const client = presentClient(await services.clients.get(tenant, clientId));
    output.result(client, JSON.stringify(client, null, 2));
  },
};

export const clientDelete: CliCommand = {
  name: 'client delete',
  summary: 'Delete a client (its tokens stop being accepted); needs --yes',
  usage: 'client delete --tenant SLUG --client-id ID --yes',
  options: { tenant: { type: 'string' }, 'client-id': { type: 'string' }, yes: { type: 'boolean' } },
  async run({ services, output }, positionals, values) {
    noPositionals('client delete', positionals);
    const [tenant = '', clientId = ''] = required('client delete', values, ['tenant', 'client-id']);
    confirmed(values, `client ${clientId}`);
    await services.clients.delete(tenant, clientId, LOCAL_OPERATOR);
    output.result({ deleted: clientId }, `Deleted client ${clientId} from tenant ${tenant}`);
  },
};

export const apiList: CliCommand = {
  name: 'api list',
  summary: "List a tenant's APIs (resource servers) and their scopes",
  usage: 'api list --tenant SLUG',
  options: { tenant: { type: 'string' } },
  async run({ services, output }, positionals, values) {
    noPositionals('api list', positionals);
    const [tenant = ''] = required('api list', values, ['tenant']);
    const apis = await all(
      (after) => services.apis.listPage(tenant, after, PAGE),
      (api) => api.identifier,
    );
    const text = apis.length === 0 ? 'No APIs.' : apis.map((a) => `${a.id}  ${a.identifier.padEnd(48)} ${a.scopes.join(' ')}`).join('\n');
    output.result({ apis: apis.map(presentApi) }, text);
  },
};

export const apiDelete: CliCommand = {
  name: 'api delete',
  summary: 'Delete an API by its id; needs --yes',
  usage: 'api delete --tenant SLUG --id ID --yes',
  options: { tenant: { type: 'string' }, id: { type: 'string' }, yes: { type: 'boolean' } },
  async run({ services, output }, positionals, values) {
    noPositionals('api delete', positionals);
    const [tenant = '', id = ''] = required('api delete', values, ['tenant', 'id']);
    confirmed(values, `API ${id}`);
    const api = await services.apis.remove(tenant, id, LOCAL_OPERATOR);
    output.result({ deleted: api.identifier }, `Deleted API ${api.identifier} from tenant ${tenant}`);
  },
};
