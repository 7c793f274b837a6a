import type { PasskeyLogin } from '@gatehouse/persistence';
import { AdminProblem } from '../errors/admin-problem.js';
import { optionalString, type JsonBody } from '../http/request-body.js';

const PASSKEY_LOGINS: readonly PasskeyLogin[] = ['second_factor', 'passwordless'];

/** `passkey_login`: whether a passkey may replace the password, or only follow it (docs/adr/0010). */
export function parsePasskeyLogin(input: JsonBody): PasskeyLogin | undefined {
  const value = optionalString(input, 'passkey_login');
  if (value !== undefined && !PASSKEY_LOGINS.includes(value as PasskeyLogin))
    throw new AdminProblem('validation_failed', `passkey_login must be one of ${PASSKEY_LOGINS.join(', ')}`, 'passkey_login');
  return value as PasskeyLogin | undefined;
}
