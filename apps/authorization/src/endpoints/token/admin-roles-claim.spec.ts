import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tenant, User } from '@gatehouse/persistence';
import type { TenantId } from '@gatehouse/protocol';
import * as adminContract from '../../../../admin/src/auth/admin-roles.js';
import { SYSTEM_TENANT as ADMIN_SYSTEM_TENANT } from '../../../../admin/src/platform/platform-bootstrap.js';
import { ADMIN_API_IDENTIFIER, adminRolesClaim, isRoleGrant, ROLES_CLAIM, SYSTEM_TENANT } from './admin-roles-claim.js';

const system = { id: 'sys-id' as TenantId, slug: 'system' } as Tenant;
const other = { id: 'acme-id' as TenantId, slug: 'acme' } as Tenant;

function user(tenant: Tenant, roles: string[]): User {
  return { id: 'u1', tenantId: tenant.id, roles } as unknown as User;
}

describe('adminRolesClaim', () => {
  it('restates the admin app contract exactly (apps do not import each other)', () => {
    assert.equal(ADMIN_API_IDENTIFIER, adminContract.ADMIN_API_IDENTIFIER);
    assert.equal(ROLES_CLAIM, adminContract.ROLES_CLAIM);
    assert.equal(SYSTEM_TENANT, ADMIN_SYSTEM_TENANT);
  });

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
      if (isRoleGrant(value)) assert.ok(adminContract.parseRoleGrant(value), `${value} is emitted but the admin API would not parse it`);
    }
    assert.deepEqual(
      cases.filter(isRoleGrant),
      ['platform_admin', 'tenant_admin:acme', 'security_analyst:acme-eu-1'],
      'valid grants are kept, unknown strings dropped',
    );
  });

  it('a system user in a token for the admin API gets their valid grants, once each', () => {
    const claim = adminRolesClaim(system, ADMIN_API_IDENTIFIER, user(system, ['tenant_admin:acme', 'root', 'tenant_admin:acme']));
    assert.deepEqual(claim, { gatehouse_roles: ['tenant_admin:acme'] });
  });

  it('no claim: no valid grant, another audience, another tenant, no user, or a user of another tenant', () => {
    assert.deepEqual(adminRolesClaim(system, ADMIN_API_IDENTIFIER, user(system, [])), {});
    assert.deepEqual(adminRolesClaim(system, ADMIN_API_IDENTIFIER, user(system, ['root'])), {});
    assert.deepEqual(adminRolesClaim(system, 'https://issuer.example.test/t/system', user(system, ['platform_admin'])), {});
    assert.deepEqual(adminRolesClaim(other, ADMIN_API_IDENTIFIER, user(other, ['platform_admin'])), {});
    assert.deepEqual(adminRolesClaim(system, ADMIN_API_IDENTIFIER, undefined), {});
    assert.deepEqual(adminRolesClaim(system, ADMIN_API_IDENTIFIER, user(other, ['platform_admin'])), {});
  });
});
