import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_REGISTRATION_POLICY,
  policyAllowsApi,
  policyScopes,
  registrationPolicyViolation,
  resolveRegistrationPolicy,
  storedRegistrationPolicy,
} from './registration-policy.js';

const APIS = [
  { identifier: 'https://api.example.test/orders', scopes: ['orders:read', 'orders:write'] },
  { identifier: 'https://api.example.test/billing', scopes: ['billing:read'] },
];

describe('registration policy', () => {
  it('defaults to code + refresh, OpenID scopes only and every auth method', () => {
    const resolved = resolveRegistrationPolicy({}, APIS);
    assert.ok(resolved.ok);
    assert.deepEqual(resolved.policy, DEFAULT_REGISTRATION_POLICY);
    assert.deepEqual([...policyScopes(resolved.policy, APIS)], ['openid', 'profile', 'email', 'address', 'phone', 'offline_access']);
  });

  it('names the member at fault for unknown grant types, auth methods, APIs and scopes', () => {
    const field = (input: Parameters<typeof resolveRegistrationPolicy>[0]) => {
      const resolved = resolveRegistrationPolicy(input, APIS);
      return resolved.ok ? null : resolved.problem.field;
    };
    assert.equal(field({ grantTypes: ['password'] }), 'grant_types');
    assert.equal(field({ grantTypes: [] }), 'grant_types');
    assert.equal(field({ tokenEndpointAuthMethods: ['client_secret_jwt'] }), 'token_endpoint_auth_methods');
    assert.equal(field({ apis: ['https://unknown.example.test'] }), 'apis');
    assert.equal(field({ scopes: ['admin'] }), 'scopes');
    assert.equal(field({ scopes: ['openid', 'billing:read'] }), null, 'a scope of a tenant API may be named');
  });

  it('allows the named scopes plus every scope of the allowed APIs', () => {
    const resolved = resolveRegistrationPolicy({ scopes: ['openid'], apis: ['https://api.example.test/orders'] }, APIS);
    assert.ok(resolved.ok);
    assert.deepEqual([...policyScopes(resolved.policy, APIS)].sort(), ['openid', 'orders:read', 'orders:write']);
  });

  it('allows an API named in apis or defining a scope named in scopes, and no other', () => {
    const [orders, billing] = APIS as [(typeof APIS)[number], (typeof APIS)[number]];
    const byApi = { ...DEFAULT_REGISTRATION_POLICY, apis: [orders.identifier] };
    assert.equal(policyAllowsApi(byApi, orders), true);
    assert.equal(policyAllowsApi(byApi, billing), false);
    assert.equal(policyAllowsApi({ ...DEFAULT_REGISTRATION_POLICY, scopes: ['openid', 'billing:read'] }, billing), true);
    assert.equal(policyAllowsApi(DEFAULT_REGISTRATION_POLICY, orders), false, 'OpenID scopes name no API');
  });

  it('reports the first value beyond the policy by its metadata field', () => {
    const allowed = policyScopes(DEFAULT_REGISTRATION_POLICY, APIS);
    const ok = { grantTypes: ['authorization_code'], scopes: ['openid'], tokenEndpointAuthMethod: 'none' };
    assert.equal(registrationPolicyViolation(ok, DEFAULT_REGISTRATION_POLICY, allowed), null);
    assert.equal(
      registrationPolicyViolation({ ...ok, grantTypes: ['client_credentials'] }, DEFAULT_REGISTRATION_POLICY, allowed)?.field,
      'grant_types',
    );
    assert.equal(registrationPolicyViolation({ ...ok, scopes: ['orders:read'] }, DEFAULT_REGISTRATION_POLICY, allowed)?.field, 'scope');
    const noneOnly = { ...DEFAULT_REGISTRATION_POLICY, tokenEndpointAuthMethods: ['none' as const] };
    assert.equal(
      registrationPolicyViolation({ ...ok, tokenEndpointAuthMethod: 'client_secret_basic' }, noneOnly, allowed)?.field,
      'token_endpoint_auth_method',
    );
  });

  it('reads a missing or malformed stored policy as the default, never wider', () => {
    assert.deepEqual(storedRegistrationPolicy(null), DEFAULT_REGISTRATION_POLICY);
    assert.deepEqual(storedRegistrationPolicy({ grantTypes: 'client_credentials' }).grantTypes, DEFAULT_REGISTRATION_POLICY.grantTypes);
    assert.deepEqual(storedRegistrationPolicy({ grantTypes: ['client_credentials', 'bogus'] }).grantTypes, ['client_credentials']);
  });
});
