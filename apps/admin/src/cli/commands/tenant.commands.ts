import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';

export const tenantCreate: CliCommand = {
  name: 'tenant create',
  summary: 'Create a tenant: its own issuer, signing keys and users',
  usage: 'tenant create <slug> [--name NAME]',
  options: { name: { type: 'string' } },
  async run({ services, output }, [slug, ...extra], values) {
    if (!slug || extra.length > 0) throw new UsageError('tenant create takes exactly one slug');
    const tenant = await services.tenants.create(slug, values['name'] as string | undefined);
    output.result({ slug: tenant.slug, issuer: tenant.issuer }, `Created tenant ${tenant.slug}: issuer ${tenant.issuer}`);
  },
};

export const tenantList: CliCommand = {
  name: 'tenant list',
  summary: 'List the tenants',
  usage: 'tenant list',
  options: {},
  async run({ services, output }, positionals) {
    if (positionals.length > 0) throw new UsageError('tenant list takes no arguments');
    const tenants = await services.tenants.list();
    const text =
      tenants.length === 0 ? 'No tenants.' : tenants.map((t) => `${t.slug.padEnd(24)} ${t.name.padEnd(32)} ${t.issuer}`).join('\n');
    output.result({ tenants: tenants.map(({ slug, issuer, name }) => ({ slug, issuer, name })) }, text);
  },
};
