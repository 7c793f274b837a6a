import type { UserProfileChanges } from '@gatehouse/persistence';
import { AdminProblem } from '../errors/admin-problem.js';
import { optionalBoolean, optionalString, type JsonBody } from '../http/request-body.js';

const PATCHABLE = new Set(['email', 'name', 'email_verified', 'status']);

/** A member a user has but PATCH cannot change: refused with where to change it. */
export function unpatchableUserField(field: string): AdminProblem | undefined {
  if (field === 'password') return new AdminProblem('validation_failed', 'password cannot be changed here; use POST .../password', field);
  if (field === 'username' || field === 'id' || field === 'roles')
    return new AdminProblem('validation_failed', `${field} cannot be changed here`, field);
  return undefined;
}

/**
 * A PATCH body as profile changes: email and name may be null (cleared); anything else,
 * username or password included, is refused by name (the password has its own route).
 */
export function userPatch(body: JsonBody): UserProfileChanges {
  const unknown = Object.keys(body).find((field) => !PATCHABLE.has(field));
  if (unknown !== undefined)
    throw unpatchableUserField(unknown) ?? new AdminProblem('validation_failed', `${unknown} cannot be changed here`, unknown);
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
