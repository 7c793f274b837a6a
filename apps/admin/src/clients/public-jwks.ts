import { publicJwksProblem } from '@gatehouse/protocol';
import { AdminProblem } from '../errors/admin-problem.js';

/** A client's registered JWK Set must hold only usable public signing keys. */
export async function validatePublicJwks(value: unknown): Promise<{ keys: Record<string, unknown>[] }> {
  const problem = await publicJwksProblem(value);
  if (problem) throw new AdminProblem('validation_failed', problem, 'jwks');
  return value as { keys: Record<string, unknown>[] };
}
