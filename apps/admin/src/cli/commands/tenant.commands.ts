import type { CliCommand } from '../cli-context.js';
import { UsageError } from '../cli-output.js';
import { parseSecurityProfile } from '../../tenants/tenant-settings.body.js';
import { presentTenant } from '../../tenants/tenant.presenter.js';
import { LOCAL_OPERATOR } from '../../tenants/tenant.service.js';

export const tenantCreate: CliCommand = {
  name: 'tenant create',
  summary: 'Create a tenant: its own issuer, signing keys and users',
  usage: 'tenant create <slug> [--name NAME] [--access-token-alg ALG] [--security-profile none|fapi2]',
  options: { name: { type: 'string' }, 'access-token-alg': { type: 'string' }, 'security-profile': { type: 'string' } },
  async run({ services, output }, [slug, ...extra], values) {
    if (!slug || extra.length > 0) throw new UsageError('tenant create takes exactly one slug');
    const tenant = await services.tenants.create(slug, values['name'] as string | undefined, {
      accessTokenAlg: values['access-token-alg'] as string | undefined,
      securityProfile: values['security-profile'] as string | undefined,
    });
    output.result({ slug: tenant.slug, issuer: tenant.issuer }, `Created tenant ${tenant.slug}: issuer ${tenant.issuer}`);
  },
};

/** The settings the CLI changes; the admin API's PATCH changes every other. */
export const tenantUpdate: CliCommand = {
  name: 'tenant update',
  summary: "Change a tenant's signing algorithm, security profile (fapi2: the FAPI 2.0 Security Profile; none: off) or device grant",
  usage: 'tenant update <slug> [--access-token-alg ALG] [--security-profile none|fapi2] [--device-authorization enabled|disabled]',
  options: { 'access-token-alg': { type: 'string' }, 'security-profile': { type: 'string' }, 'device-authorization': { type: 'string' } },
  async run({ config, services, output }, [slug, ...extra], values) {
    if (!slug || extra.length > 0) throw new UsageError('tenant update takes exactly one slug');
    const accessTokenAlg = values['access-token-alg'] as string | undefined;
    const securityProfile = parseSecurityProfile(values['security-profile'] as string | undefined);
    const device = values['device-authorization'] as string | undefined;
    if (device !== undefined && device !== 'enabled' && device !== 'disabled')
      throw new UsageError('--device-authorization is enabled or disabled');
    if (accessTokenAlg === undefined && securityProfile === undefined && device === undefined)
      throw new UsageError('tenant update needs --access-token-alg, --security-profile or --device-authorization');
    const current = await services.tenants.get(slug);
    const updated = await services.tenants.update(
      slug,
      current,
      { accessTokenAlg, securityProfile, ...(device === undefined ? {} : { deviceAuthorization: device }) },
      LOCAL_OPERATOR,
    );
    const shown = presentTenant(updated, config.publicUrl);
    output.result(
      shown,
      `Updated tenant ${updated.slug}: security_profile ${updated.securityProfile}, access_token_alg ${updated.accessTokenAlg}, device_authorization ${updated.deviceAuthorization.enabled ? 'enabled' : 'disabled'}`,
    );
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
