import type { RegistrationPolicyInput } from '@gatehouse/protocol';
import { AdminProblem } from '../errors/admin-problem.js';
import { jsonObject, optionalStringArray } from '../http/request-body.js';

const MEMBERS = ['grant_types', 'scopes', 'apis', 'token_endpoint_auth_methods'];

/**
 * The `policy` member of a registration-token request in wire names. An unknown member is
 * refused rather than ignored: a misspelt restriction must not silently become the default.
 */
export function parsePolicyInput(value: unknown): RegistrationPolicyInput {
  if (value === undefined || value === null) return {};
  let body;
  try {
    body = jsonObject(value);
  } catch {
    throw new AdminProblem('validation_failed', 'policy must be a JSON object', 'policy');
  }
  const unknown = Object.keys(body).find((key) => !MEMBERS.includes(key));
  if (unknown !== undefined)
    throw new AdminProblem('validation_failed', `policy.${unknown} is not a policy member (${MEMBERS.join(', ')})`, `policy.${unknown}`);
  const member = (name: string): string[] | undefined => {
    try {
      return optionalStringArray(body, name);
    } catch {
      throw new AdminProblem('validation_failed', `policy.${name} must be an array of strings`, `policy.${name}`);
    }
  };
  return {
    grantTypes: member('grant_types'),
    scopes: member('scopes'),
    apis: member('apis'),
    tokenEndpointAuthMethods: member('token_endpoint_auth_methods'),
  };
}
