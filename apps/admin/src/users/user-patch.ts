import type { UserProfileChanges } from '@gatehouse/persistence';
import { AdminProblem } from '../errors/admin-problem.js';
import { optionalBoolean, optionalString, type JsonBody } from '../http/request-body.js';

const PATCHABLE = new Set(['email', 'name', 'email_verified', 'status']);

/**
 * A PATCH body as profile changes: email and name may be null (cleared); anything else,
 * username or password included, is refused by name (the password has its own route).
 */
export function userPatch(body: JsonBody): UserProfileChanges {
  const unknown = Object.keys(body).find((field) => !PATCHABLE.has(field));
  if (unknown !== undefined) {
    const hint = unknown === 'password' ? '; use POST .../password' : '';
    throw new AdminProblem('validation_failed', `${unknown} cannot be changed here${hint}`, unknown);
  }
  if (Object.keys(body).length === 0) throw new AdminProblem('validation_failed', 'nothing to change');
  const status = optionalString(body, 'status');
  if (status !== undefined && status !== 'active' && status !== 'disabled') {
    throw new AdminProblem('validation_failed', 'status must be active or disabled', 'status');
  }
  const email = body['email'] === null ? null : optionalString(body, 'email');
  const name = body['name'] === null ? null : optionalString(body, 'name');
  const emailVerified = optionalBoolean(body, 'email_verified');
  return {
    // A new address is unverified unless the caller says otherwise.
    ...(email !== undefined ? { email, emailVerified: emailVerified ?? false } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(emailVerified !== undefined ? { emailVerified } : {}),
    ...(status !== undefined ? { status } : {}),
  };
}
