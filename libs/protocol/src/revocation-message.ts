/**
 * The revocation broadcast (Redis pub/sub): Gatehouse publishes on this channel whenever tokens or
 * grants stop standing, and resource servers (libs/resource-server) drop them within a second.
 */
export const REVOCATION_CHANNEL = 'gatehouse:revocations';

export interface RevocationMessage {
  readonly jtis?: readonly string[];
  readonly grantIds?: readonly string[];
}

/** What travels on the channel: snake_case JSON, with the tenant and the time. */
export function encodeRevocation(tenantId: string, message: RevocationMessage, at: Date): string {
  return JSON.stringify({ tenant_id: tenantId, jtis: message.jtis ?? [], grant_ids: message.grantIds ?? [], at: at.toISOString() });
}

export interface ReceivedRevocation {
  readonly tenantId: string;
  readonly jtis: readonly string[];
  readonly grantIds: readonly string[];
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** A message from the channel, or null when it is not one of ours. */
export function decodeRevocation(text: string): ReceivedRevocation | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const record = parsed as Record<string, unknown>;
  if (typeof record['tenant_id'] !== 'string') return null;
  return { tenantId: record['tenant_id'], jtis: strings(record['jtis']), grantIds: strings(record['grant_ids']) };
}
