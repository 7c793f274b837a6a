import { AdminProblem } from '../errors/admin-problem.js';

/** A policy's settings (camelCase, as libs/risk and libs/protocol name them) with their inclusive bounds. */
export type PolicyBounds = Readonly<Record<string, readonly [number, number]>>;

/** A setting's wire name: `geoAnomalyPoints` → `geo_anomaly_points`. */
export const toSnake = (key: string): string => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * A policy override object from the wire (snake_case keys) as the camelCase overrides the tenant
 * stores. Every key must be a known setting and every value an integer within its bounds; the
 * error names the offending member (`risk_policy.foo`).
 */
export function parsePolicyOverrides(field: string, value: unknown, bounds: PolicyBounds): Record<string, number> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new AdminProblem('validation_failed', `${field} must be an object of settings`, field);
  const byWireName = new Map(Object.keys(bounds).map((key) => [toSnake(key), key]));
  const overrides: Record<string, number> = {};
  for (const [wireName, setting] of Object.entries(value as Record<string, unknown>)) {
    const key = byWireName.get(wireName);
    const range = key === undefined ? undefined : bounds[key];
    if (key === undefined || range === undefined)
      throw new AdminProblem('validation_failed', `${field}.${wireName} is not a setting of ${field}`, `${field}.${wireName}`);
    const [min, max] = range;
    if (typeof setting !== 'number' || !Number.isInteger(setting) || setting < min || setting > max) {
      throw new AdminProblem('validation_failed', `${field}.${wireName} must be an integer from ${min} to ${max}`, `${field}.${wireName}`);
    }
    overrides[key] = setting;
  }
  return overrides;
}

/** A resolved policy (camelCase) as the wire shows it (snake_case). */
export function presentPolicy<T extends string | number = number>(policy: object): Record<string, T> {
  return Object.fromEntries(Object.entries(policy as Record<string, T>).map(([key, setting]) => [toSnake(key), setting]));
}

/** A policy of named choices (`mfa_policy`): every key a known setting, every value one of its choices. */
export function parseChoiceOverrides(
  field: string,
  value: unknown,
  choices: Readonly<Record<string, readonly string[]>>,
): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new AdminProblem('validation_failed', `${field} must be an object of settings`, field);
  const byWireName = new Map(Object.keys(choices).map((key) => [toSnake(key), key]));
  const overrides: Record<string, string> = {};
  for (const [wireName, setting] of Object.entries(value as Record<string, unknown>)) {
    const key = byWireName.get(wireName);
    const allowed = key === undefined ? undefined : choices[key];
    if (key === undefined || allowed === undefined)
      throw new AdminProblem('validation_failed', `${field}.${wireName} is not a setting of ${field}`, `${field}.${wireName}`);
    if (typeof setting !== 'string' || !allowed.includes(setting))
      throw new AdminProblem('validation_failed', `${field}.${wireName} must be one of ${allowed.join(', ')}`, `${field}.${wireName}`);
    overrides[key] = setting;
  }
  return overrides;
}
