import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client, Tenant, User } from '@gatehouse/persistence';
import { ADMIN_API_IDENTIFIER, isRoleGrant, parseRoleGrant, type TenantId } from '@gatehouse/protocol';
import { adminRolesClaim } from './admin-roles-claim.js';

const system = { id: 'sys-id' as TenantId, slug: 'system' } as Tenant;
const other = { id: 'acme-id' as TenantId, slug: 'acme' } as Tenant;
const consoleClient = { clientId: 'admin-console', adminConsole: true } as Client;
const lookalike = { clientId: 'admin-console', name: 'Gatehouse admin console', adminConsole: false } as Client;

function user(tenant: Tenant, roles: string[]): User {
  return { id: 'u1', tenantId: tenant.id, roles } as unknown as User;
}

describe('adminRolesClaim', () => {
  it('accepts only role grants the admin API parses, and drops the rest', () => {
    const cases = [
      'platform_admin',
      'tenant_admin:acme',
      'security_analyst:acme-eu-1',
      'platform_admin:acme',
      'tenant_admin',
      'tenant_admin:',
      'tenant_admin:acme:extra',
      'superuser',
      'TENANT_ADMIN:acme',
      'security_analyst:Not A Slug',
      '',
    ];
    for (const value of cases) {
      if (isRoleGrant(value)) assert.ok(parseRoleGrant(value), `${value} is emitted but the admin API would not parse it`);
    }
    assert.deepEqual(
      cases.filter(isRoleGrant),
      ['platform_admin', 'tenant_admin:acme', 'security_analyst:acme-eu-1'],
      'valid grants are kept, unknown strings dropped',
    );
  });

  it('a system user in a token for the admin API gets their valid grants, once each', () => {
    const claim = adminRolesClaim(
      system,
      consoleClient,
      ADMIN_API_IDENTIFIER,
      user(system, ['tenant_admin:acme', 'root', 'tenant_admin:acme']),
    );
    assert.deepEqual(claim, { gatehouse_roles: ['tenant_admin:acme'] });
  });

  it('no claim: no valid grant, another audience, another tenant, no user, or a user of another tenant', () => {
    assert.deepEqual(adminRolesClaim(system, consoleClient, ADMIN_API_IDENTIFIER, user(system, [])), {});
    assert.deepEqual(adminRolesClaim(system, consoleClient, ADMIN_API_IDENTIFIER, user(system, ['root'])), {});
    assert.deepEqual(adminRolesClaim(system, consoleClient, 'https://issuer.example.test/t/system', user(system, ['platform_admin'])), {});
    assert.deepEqual(adminRolesClaim(other, consoleClient, ADMIN_API_IDENTIFIER, user(other, ['platform_admin'])), {});
    assert.deepEqual(adminRolesClaim(system, consoleClient, ADMIN_API_IDENTIFIER, undefined), {});
    assert.deepEqual(adminRolesClaim(system, consoleClient, ADMIN_API_IDENTIFIER, user(other, ['platform_admin'])), {});
  });

  it('no claim for any client but the admin console, whatever it is called', () => {
    assert.deepEqual(adminRolesClaim(system, lookalike, ADMIN_API_IDENTIFIER, user(system, ['platform_admin'])), {});
  });
});
