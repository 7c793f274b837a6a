import { findChainBreak, type AuditEvent, type ChainBreak, type OutboxEvent } from '@gatehouse/audit';
import { GatehouseLogger } from '@gatehouse/observability';
import type { Database, Persistence, Tenant } from '@gatehouse/persistence';
import { LazyGeoIp, defaultGeoIpPaths } from '@gatehouse/risk';
import { uniqueSlug } from '../../../../test/support/index.js';
import { AuditRecorder, type AuditRecorderOptions } from '../../src/pipeline/audit-recorder.js';
import { EventEnricher } from '../../src/pipeline/event-enricher.js';

export const silentLogger = new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined });

/** One geo database per test process: opening it costs ~0.15 s and ~135 MB. */
const geoIp = new LazyGeoIp(defaultGeoIpPaths());

export function newRecorder(persistence: Persistence, now?: () => Date, options?: AuditRecorderOptions): AuditRecorder {
  return new AuditRecorder(persistence, new EventEnricher(geoIp), now, options);
}

export { isolatedTargets, type IsolatedTarget } from '../../../../test/support/index.js';

export async function newTenant(persistence: Persistence, prefix = 'audit'): Promise<Tenant> {
  const tenant = await persistence.repositories.tenants.insert({ slug: uniqueSlug(prefix), name: 'Audit pipeline' });
  if (!tenant) throw new Error('tenant slug taken');
  return tenant;
}

/** Appends events to the tenant's outbox as the apps do, and returns them as the relay would read them (with their outbox ids). */
export async function appendToOutbox(persistence: Persistence, tenant: Tenant, events: readonly AuditEvent[]): Promise<OutboxEvent[]> {
  const outbox = persistence.repositories.auditOutbox;
  const known = new Set((await outbox.listByTenant(tenant.id, 100_000)).map((event) => event.id));
  await outbox.append(tenant.id, events);
  return (await outbox.listByTenant(tenant.id, 100_000))
    .filter((event) => !known.has(event.id))
    .map((event) => ({ ...event, tenantId: tenant.id }));
}

/** The client id whose audit records the store refuses while `whileStoreRefuses` runs. */
export const REFUSED_CLIENT = 'poison-client';

/**
 * Runs `work` while the database itself refuses audit records of REFUSED_CLIENT (a CHECK constraint): an
 * event the store cannot take. Only for a database of the suite's own (isolatedTargets).
 */
export async function whileStoreRefuses<T>(database: Database, work: () => Promise<T>): Promise<T> {
  await database.dataSource.query(
    `ALTER TABLE audit_records ADD CONSTRAINT test_refused CHECK (client_id IS DISTINCT FROM '${REFUSED_CLIENT}')`,
  );
  try {
    return await work();
  } finally {
    await database.dataSource.query(`ALTER TABLE audit_records DROP CONSTRAINT test_refused`);
  }
}

export function loginEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return { type: 'login.succeeded', outcome: 'success', occurredAt: new Date(), userId: 'user-1', ip: '127.0.0.1', ...overrides };
}

/** Verifies a tenant's whole stored chain from its anchor (retention may have removed its start). */
export async function verifyChain(persistence: Persistence, tenantId: string): Promise<{ checked: number; broken: ChainBreak | null }> {
  const repos = persistence.repositories;
  const anchor = await repos.auditRecords.anchor(tenantId);
  if (!anchor) return { checked: 0, broken: null };
  const records = await repos.auditRecords.after(tenantId, anchor.sequence - 1, 100_000);
  return { checked: records.length, broken: findChainBreak(records, anchor.previousHash, anchor.sequence) };
}

export async function sequencesOf(persistence: Persistence, tenantId: string): Promise<number[]> {
  return (await persistence.repositories.auditRecords.after(tenantId, 0, 100_000)).map((record) => record.sequence);
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

/** Polls until `check` holds or the deadline passes (then throws with the last state). */
export async function eventually<T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await probe();
  }
  return value;
}
