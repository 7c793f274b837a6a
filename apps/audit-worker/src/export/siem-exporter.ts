import { hostname } from 'node:os';
import {
  DeliveryError,
  createTransport,
  retryDelay,
  type AuditRecord,
  type SiemTransport,
  type SinkCredentialsSealer,
} from '@gatehouse/audit';
import type { GatehouseLogger, GatehouseMetrics } from '@gatehouse/observability';
import type { Persistence, SiemSink } from '@gatehouse/persistence';
import { PollingLoop } from '../pipeline/polling-loop.js';
import { assertPublicDestination } from './destination-guard.js';
import { toSinkConfig } from './sink-config.mapper.js';

const BATCH = 200;
const CLAIM = 16;
const LEASE_MS = 60_000;
const BACKOFF = { baseMs: 1_000, maxMs: 5 * 60_000 };

export interface SiemExporterOptions {
  readonly now?: () => Date;
  readonly random?: () => number;
  /** SIEM_ALLOW_PRIVATE_TARGETS: deliver to hosts that resolve to loopback or private addresses. */
  readonly allowPrivateTargets?: boolean;
  readonly backoff?: { baseMs: number; maxMs: number };
  readonly idleMs?: number;
  readonly metrics?: GatehouseMetrics;
}

/**
 * Delivers each sink's share of its tenant's audit chain, in chain order, from the sink's
 * cursor. A failed batch is retried with exponential backoff and full jitter; after the
 * sink's attempts it becomes dead letters and the cursor moves on, so one bad batch never
 * holds the stream back. Dead letters an admin asked to replay go first.
 */
export class SiemExporter {
  private readonly loop: PollingLoop;
  private readonly transports = new Map<string, { version: number; transport: SiemTransport }>();
  private readonly now: () => Date;

  constructor(
    private readonly persistence: Persistence,
    private readonly credentials: SinkCredentialsSealer,
    private readonly logger: GatehouseLogger,
    private readonly options: SiemExporterOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.loop = new PollingLoop(
      () => this.exportOnce(),
      { idleMs: options.idleMs ?? 500, errorMs: 2_000, batch: CLAIM },
      (error) => this.logger.error('SIEM export turn failed', { error: String(error) }),
    );
  }

  start(): void {
    this.loop.start();
  }

  /** New records were stored: look now rather than at the next tick. */
  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * One turn: claims due sinks and exports a batch to each. Reports a full turn (no pause
   * before the next) when every claimable sink was taken or one still has a backlog, so a
   * sink catching up after an outage goes batch after batch rather than one per idle tick.
   */
  async exportOnce(): Promise<number> {
    const sinks = await this.persistence.repositories.siemSinks.claimDue(this.now(), CLAIM, LEASE_MS);
    const backlogs = await Promise.all(sinks.map((sink) => this.exportSink(sink)));
    return backlogs.some(Boolean) ? CLAIM : sinks.length;
  }

  /** True when the sink delivered a full batch: more is probably waiting. */
  private async exportSink(sink: SiemSink): Promise<boolean> {
    const repos = this.persistence.repositories;
    let transport: SiemTransport;
    try {
      transport = this.transportFor(sink);
    } catch (error) {
      // Credentials that no longer open (key-encryption key changed, row corrupted) or a config the
      // transports refuse: retried and dead-lettered like a failed delivery, so readiness shows it.
      const records = await repos.auditRecords.after(sink.tenantId, sink.exportedSequence, BATCH);
      await this.failed(sink, records, new DeliveryError(`sink configuration: ${describe(error)}`, true));
      return false;
    }
    const replays = await repos.siemDeadLetters.replayBatch(sink.id, BATCH);
    if (replays.length > 0) {
      const records = await repos.auditRecords.byIds(
        sink.tenantId,
        replays.map((letter) => letter.recordId),
      );
      try {
        await transport.deliver(records);
        this.options.metrics?.siemDeliveries.inc({ sink_type: sink.type });
        await repos.siemDeadLetters.markDelivered(
          replays.map((letter) => letter.id),
          this.now(),
        );
        this.logger.info('SIEM dead letters replayed', { sink: sink.id, count: replays.length });
      } catch (error) {
        this.options.metrics?.siemFailures.inc({ sink_type: sink.type });
        await repos.siemDeadLetters.markReplayFailed(
          replays.map((letter) => letter.id),
          describe(error),
        );
      }
    }

    const records = await repos.auditRecords.after(sink.tenantId, sink.exportedSequence, BATCH);
    if (records.length === 0) {
      await repos.siemSinks.release(sink.id, this.now());
      return false;
    }
    try {
      await transport.deliver(records);
      this.options.metrics?.siemDeliveries.inc({ sink_type: sink.type });
      await repos.siemSinks.markDelivered(sink.id, lastSequence(records), this.now());
      return records.length === BATCH;
    } catch (error) {
      await this.failed(sink, records, error);
      return false;
    }
  }

  private async failed(sink: SiemSink, records: readonly AuditRecord[], error: unknown): Promise<void> {
    const attempts = sink.attempts + 1;
    const retryable = !(error instanceof DeliveryError) || error.retryable;
    const message = describe(error);
    this.options.metrics?.siemFailures.inc({ sink_type: sink.type });
    if (retryable && attempts < sink.maxAttempts) {
      const delay = retryDelay(attempts, {
        ...(this.options.backoff ?? BACKOFF),
        ...(this.options.random ? { random: this.options.random } : {}),
      });
      await this.persistence.repositories.siemSinks.markFailed(sink.id, attempts, new Date(this.now().getTime() + delay), message);
      this.logger.warn('SIEM delivery failed; retrying', { sink: sink.id, attempts, delayMs: delay, error: message });
      return;
    }
    await this.persistence.transaction((repos) =>
      repos.siemSinks.deadLetter({ ...sink, attempts: attempts - 1 }, records, message, this.now()),
    );
    this.options.metrics?.siemDeadLetters.inc({ sink_type: sink.type }, records.length);
    this.logger.error('SIEM delivery gave up; records dead-lettered', { sink: sink.id, count: records.length, error: message });
  }

  private transportFor(sink: SiemSink): SiemTransport {
    const version = sink.updatedAt.getTime();
    const cached = this.transports.get(sink.id);
    if (cached && cached.version === version) return cached.transport;
    const direct = createTransport(toSinkConfig(sink, this.credentials.open(sink)), {
      context: { productVersion: '0.1.0' },
      hostname: hostname(),
      timeoutMs: 10_000,
    });
    const transport: SiemTransport = this.options.allowPrivateTargets
      ? direct
      : {
          deliver: async (records) => {
            await assertPublicDestination(sink.url);
            await direct.deliver(records);
          },
        };
    this.transports.set(sink.id, { version, transport });
    return transport;
  }
}

function lastSequence(records: readonly AuditRecord[]): number {
  return records[records.length - 1]!.sequence;
}

/** Transport errors never carry the token or secret (libs/audit); anything else is summarised. */
function describe(error: unknown): string {
  if (error instanceof DeliveryError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : 'delivery failed';
}
