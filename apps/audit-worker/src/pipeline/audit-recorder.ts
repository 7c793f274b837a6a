import {
  GENESIS_HASH,
  chainHash,
  inAuditSpans,
  isLoginEvent,
  type AuditRecord,
  type OutboxEvent,
  type RiskAssessment,
} from '@gatehouse/audit';
import type { ChainHead, LockedChainHead, Persistence, Repositories, Tenant } from '@gatehouse/persistence';
import { asTenantId } from '@gatehouse/protocol';
import { historyStart, LoginHistoryIndex, resolveRiskPolicy, scoreLogin, type RiskPolicy } from '@gatehouse/risk';
import type { EventEnricher } from './event-enricher.js';
import { jsonSafe } from './json-safe.js';
import { LoginHistoryCache, type LoginHistoryLease } from './login-history-cache.js';
import { addStoredHistory, keysOf } from './stored-login-history.js';

const NO_RISK: RiskAssessment = Object.freeze({ score: 0, reasons: [] });

export interface RecordedBatch {
  readonly records: readonly AuditRecord[];
  /** Events that already had a record (a retried job): acknowledged, not recorded twice. */
  readonly duplicates: number;
}

interface TenantBatch extends RecordedBatch {
  /** The chain head before and after the batch. */
  readonly start: ChainHead;
  readonly end: ChainHead;
}

export interface AuditRecorderOptions {
  /** The login history kept across batches; null rebuilds it for each batch from the store. */
  readonly historyCache?: LoginHistoryCache | null;
}

/**
 * Thrown by `record` when some events could not be recorded, each tried on its own too: every other
 * event of the batch was recorded. They stay unrecorded in the outbox (their jobs retry; the relay
 * re-sends them later).
 */
export class UnrecordedEvents extends AggregateError {
  readonly eventIds: ReadonlySet<string>;

  constructor(
    failures: ReadonlyMap<string, unknown>,
    /** What the batch did record. */
    readonly recorded: RecordedBatch,
  ) {
    super([...failures.values()], `${failures.size} audit event(s) could not be recorded`);
    this.eventIds = new Set(failures.keys());
  }
}

/**
 * enrich -> score -> chain -> store, for a batch of outbox events. Each tenant's part of
 * the batch is one transaction holding that tenant's chain head, so records are appended
 * in order and an event that already has a record is skipped: processing is idempotent.
 */
export class AuditRecorder {
  private readonly tenantCache = new Map<string, { tenant: Tenant; loadedAt: number }>();
  private readonly historyCache: LoginHistoryCache | null;

  constructor(
    private readonly persistence: Persistence,
    private readonly enricher: EventEnricher,
    private readonly now: () => Date = () => new Date(),
    options: AuditRecorderOptions = {},
  ) {
    this.historyCache = options.historyCache === undefined ? new LoginHistoryCache() : options.historyCache;
  }

  /** Each request's trace shows the processing of its event (docs/adr/0013). */
  record(events: readonly OutboxEvent[]): Promise<RecordedBatch> {
    return inAuditSpans('audit.record', events, () => this.recordBatch(events));
  }

  private async recordBatch(events: readonly OutboxEvent[]): Promise<RecordedBatch> {
    const records: AuditRecord[] = [];
    const failures = new Map<string, unknown>();
    for (const [tenantId, tenantEvents] of byTenant(events)) {
      const tenant = await this.tenant(tenantId);
      // The tenant was deleted with its outbox rows (ON DELETE CASCADE): nothing to record.
      if (!tenant) continue;
      const enrichments = await Promise.all(tenantEvents.map((event) => this.enricher.enrich(event)));
      const lease = this.historyCache?.lease(tenant.id) ?? null;
      try {
        const result = await this.persistence.transaction((repos) =>
          this.recordTenantBatch(repos, tenant, tenantEvents, enrichments, lease),
        );
        lease?.committed(result.start, result.end);
        records.push(...result.records);
      } catch (error) {
        lease?.discard();
        // One bad event must not hold back the rest of its batch, nor the other tenants' events after it:
        // each on its own, the bad one fails alone.
        if (tenantEvents.length === 1) failures.set(tenantEvents[0]!.id, error);
        else records.push(...(await this.recordOneByOne(tenant, tenantEvents, enrichments, failures)));
      } finally {
        lease?.release();
      }
    }
    const recorded = { records, duplicates: events.length - records.length - failures.size };
    if (failures.size > 0) throw new UnrecordedEvents(failures, recorded);
    return recorded;
  }

  /** Records each event in a transaction of its own; adds the ones that fail to `failures`. */
  private async recordOneByOne(
    tenant: Tenant,
    events: readonly OutboxEvent[],
    enrichments: readonly Awaited<ReturnType<EventEnricher['enrich']>>[],
    failures: Map<string, unknown>,
  ): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    for (const [index, event] of events.entries()) {
      try {
        const result = await this.persistence.transaction((repos) =>
          this.recordTenantBatch(repos, tenant, [event], [enrichments[index]!], null),
        );
        records.push(...result.records);
      } catch (error) {
        failures.set(event.id, error);
      }
    }
    return records;
  }

  /** The same, inside a caller's transaction (the direct outbox consumer, which holds the rows locked). */
  async recordIn(repos: Repositories, events: readonly OutboxEvent[]): Promise<RecordedBatch> {
    const records: AuditRecord[] = [];
    // Tenants in id order: two consumers locking several chain heads in one transaction never deadlock.
    for (const [tenantId, tenantEvents] of byTenant(events)) {
      const tenant = await repos.tenants.findById(asTenantId(tenantId));
      if (!tenant) continue;
      const enrichments = await Promise.all(tenantEvents.map((event) => this.enricher.enrich(event)));
      // The caller's transaction may still roll back: no history is kept from it.
      const result = await this.recordTenantBatch(repos, tenant, tenantEvents, enrichments, null);
      records.push(...result.records);
    }
    return { records, duplicates: events.length - records.length };
  }

  async tenant(tenantId: string): Promise<Tenant | null> {
    const cached = this.tenantCache.get(tenantId);
    if (cached && Date.now() - cached.loadedAt < 30_000) return cached.tenant;
    const tenant = await this.persistence.repositories.tenants.findById(asTenantId(tenantId));
    if (tenant) this.tenantCache.set(tenantId, { tenant, loadedAt: Date.now() });
    return tenant;
  }

  private async recordTenantBatch(
    repos: Repositories,
    tenant: Tenant,
    events: readonly OutboxEvent[],
    enrichments: readonly Awaited<ReturnType<EventEnricher['enrich']>>[],
    lease: LoginHistoryLease | null,
  ): Promise<TenantBatch> {
    const ids = events.map((event) => event.id);
    const start = await repos.auditRecords.lockChainHead(tenant.id, GENESIS_HASH);
    let head: ChainHead = start;
    const existing = await repos.auditRecords.existingIds(ids);
    const policy = resolveRiskPolicy(tenant.riskPolicy);
    const fresh = events.map((event, index) => ({ event, enrichment: enrichments[index]! })).filter(({ event }) => !existing.has(event.id));

    // One lookup for the batch; each login then reads and extends the index (no per-event scan of the batch's history).
    const history = await this.loginHistory(
      repos,
      tenant,
      start,
      fresh.map(({ event }) => event),
      policy,
      lease,
    );
    const recordedAt = this.now();
    const records: AuditRecord[] = [];
    for (const { event, enrichment } of fresh) {
      const { userId, username, ip } = storedSubject(event);
      // The rules assess a login attempt (velocity counts it as one, device.new expects its device
      // cookie): other events, even from the same browser, carry no score of their own.
      const risk = isLoginEvent(event.type)
        ? scoreLogin(
            {
              at: event.occurredAt,
              userId,
              username,
              ip,
              location: enrichment.geo,
              device: enrichment.device ?? {},
            },
            history,
            policy,
          )
        : NO_RISK;
      const unhashed = stripAbsent({
        id: event.id,
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        sequence: head.sequence + 1,
        type: event.type,
        outcome: event.outcome,
        occurredAt: event.occurredAt,
        recordedAt,
        userId,
        username,
        clientId: truncate(event.clientId, 128),
        ip,
        userAgent: truncate(event.userAgent, 512),
        geo: enrichment.geo,
        device: enrichment.device,
        risk,
        errorCode: truncate(event.errorCode, 64),
        details: event.details && Object.keys(event.details).length > 0 ? (jsonSafe(event.details) as Record<string, unknown>) : undefined,
      });
      const hash = chainHash(head.hash, unhashed);
      records.push({ ...unhashed, previousHash: head.hash, hash });
      head = { sequence: head.sequence + 1, hash };
      if (isLoginEvent(event.type)) {
        history.add(
          {
            occurredAt: event.occurredAt,
            type: event.type,
            outcome: event.outcome,
            userId: userId ?? null,
            username: username ?? null,
            ip: ip ?? null,
            geo: enrichment.geo,
            deviceId: enrichment.device?.id ?? null,
          },
          head.sequence,
        );
      }
    }
    if (records.length > 0) {
      await repos.auditRecords.insertMany(records);
      await repos.auditRecords.advanceChainHead(tenant.id, head);
    }
    await repos.auditOutbox.removeRecorded(ids);
    return { records, duplicates: events.length - records.length, start, end: head };
  }

  /**
   * The stored attempts of the batch's users and IPs inside the policy windows (and each user's
   * earlier deciding successes): from the kept history when the batch holds it, else one query.
   */
  private async loginHistory(
    repos: Repositories,
    tenant: Tenant,
    head: LockedChainHead,
    events: readonly OutboxEvent[],
    policy: RiskPolicy,
    lease: LoginHistoryLease | null,
  ): Promise<LoginHistoryIndex> {
    const interactive = events.filter((event) => isLoginEvent(event.type));
    if (interactive.length === 0) return new LoginHistoryIndex([], policy);
    const since = historyStart(new Date(Math.min(...interactive.map((event) => event.occurredAt.getTime()))), policy);
    const subjects = interactive.map(storedSubject);
    if (lease) return lease.historyFor(repos, head, subjects, since, policy);
    const index = new LoginHistoryIndex([], policy);
    await addStoredHistory(repos, tenant.id, index, keysOf(subjects), since);
    return index;
  }
}

type Unhashed = Omit<AuditRecord, 'hash' | 'previousHash'>;

/**
 * Who an event is about, as its record stores it: the username lower-cased, each value cut to its
 * column. A login is judged, and later looked up, by these, so the history it is scored on and the
 * history later attempts find are the same records (lower-casing can lengthen a string: 'İ' is two).
 */
function storedSubject(event: OutboxEvent): { userId: string | undefined; username: string | undefined; ip: string | undefined } {
  return {
    userId: truncate(event.userId, 128),
    username: truncate(event.username?.toLowerCase(), 128),
    ip: truncate(event.ip, 64),
  };
}

/**
 * Each tenant's events, tenants in id order, events in time order, each event once: a job
 * redelivered while its first run waits in the same batch must not make a second record
 * (the unique id would fail the whole batch).
 */
function byTenant(events: readonly OutboxEvent[]): [string, OutboxEvent[]][] {
  const groups = new Map<string, Map<string, OutboxEvent>>();
  for (const event of events) {
    const group = groups.get(event.tenantId) ?? new Map<string, OutboxEvent>();
    if (!group.has(event.id)) group.set(event.id, event);
    groups.set(event.tenantId, group);
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([tenantId, group]) => [
      tenantId,
      [...group.values()].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : 1)),
    ]);
}

/**
 * Cuts to a column's width without splitting a surrogate pair: the driver would store a lone
 * surrogate as U+FFFD, and the stored record would no longer match its hash.
 */
function truncate(value: string | undefined, max: number): string | undefined {
  if (value === undefined || value.length <= max) return value;
  const cut = value.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function stripAbsent(record: { [K in keyof Unhashed]: Unhashed[K] | undefined }): Unhashed {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as unknown as Unhashed;
}
