import type { GatehouseConfig } from '@gatehouse/config';
import type { GatehouseLogger } from '@gatehouse/observability';
import type { BackchannelLogoutJob, Persistence, Tenant } from '@gatehouse/persistence';
import { asTenantId, issuerFor, isPrivateHost, type ResolveHost } from '@gatehouse/protocol';
import { mintLogoutToken, TenantKeyCache } from '@gatehouse/tokens';
import { postLogoutToken } from './post-logout-token.js';
import { retryDelayMs } from './retry-delay.js';

export interface BackchannelLogoutDispatcherOptions {
  /** How often due jobs are looked for; 1 s. */
  readonly intervalMs?: number;
  readonly now?: () => Date;
  /** Per delivery; 5 s. */
  readonly timeoutMs?: number;
  /** DNS by default; the outbound guard checks what this answers before connecting. */
  readonly resolve?: ResolveHost;
}

/** Jobs claimed per run, and how long a claimed job is hidden from other workers. */
const BATCH_SIZE = 20;
const LEASE_MS = 30_000;
/** last_error of a delivery the outbound guard refused: fixed text, so it tells nothing about the target. */
export const REFUSED = 'refused: the back-channel logout URI is not a public address';
/** After this many failed deliveries the job is given up. */
export const MAX_ATTEMPTS = 6;
/** Back-Channel Logout §2.4 recommends a short lifetime; the token is minted anew for each attempt. */
const LOGOUT_TOKEN_LIFETIME_SECONDS = 120;

/**
 * Delivers the back-channel logout notices queued when a session ended (OIDC Back-Channel
 * Logout 1.0 §2.5): a logout token, POSTed as a form to the client's backchannel_logout_uri.
 * Any number of workers may run: jobs are claimed with FOR UPDATE SKIP LOCKED under a lease.
 */
export class BackchannelLogoutDispatcher {
  private readonly keys: TenantKeyCache;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly resolve: ResolveHost | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly config: Pick<GatehouseConfig, 'publicUrl' | 'keyEncryptionKey' | 'outboundAllowPrivateTargets'>,
    private readonly persistence: Persistence,
    private readonly logger: GatehouseLogger,
    options: BackchannelLogoutDispatcherOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.intervalMs = options.intervalMs ?? 1_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.resolve = options.resolve;
    this.keys = new TenantKeyCache(persistence.repositories.signingKeys, config.keyEncryptionKey, { now: this.now });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Stops polling and waits for the run in progress, so the database can be closed after. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Claims the due jobs and attempts each once; returns how many were claimed. */
  async runOnce(): Promise<number> {
    const jobs = await this.persistence.repositories.backchannelLogoutJobs.claimDue(this.now(), BATCH_SIZE, LEASE_MS);
    await Promise.all(jobs.map((job) => this.attempt(job)));
    return jobs.length;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((error: unknown) => this.logger.error('back-channel logout run failed', { err: error }))
        .finally(() => this.schedule());
    }, this.intervalMs);
    // Polling alone never keeps the process alive.
    this.timer.unref();
  }

  private async attempt(job: BackchannelLogoutJob): Promise<void> {
    try {
      const tenant = await this.persistence.repositories.tenants.findById(asTenantId(job.tenantId));
      if (!tenant) {
        await this.persistence.repositories.backchannelLogoutJobs.markFailed(job.id, 'tenant no longer exists', this.now());
        return;
      }
      const failure = await this.deliver(tenant, job);
      if (failure === null) await this.record(tenant, job, 'delivered');
      // A refused target is not a transient failure: no retry, and nothing about the target's answer.
      else if (failure === REFUSED || job.attempts >= MAX_ATTEMPTS) await this.record(tenant, job, 'failed', failure);
      else {
        const nextAttemptAt = new Date(this.now().getTime() + retryDelayMs(job.attempts));
        await this.persistence.repositories.backchannelLogoutJobs.markRetry(job.id, failure, nextAttemptAt);
      }
    } catch (error) {
      // The lease runs out and another run takes the job again.
      this.logger.error('back-channel logout job could not be recorded', { err: error, job: job.id });
    }
  }

  /** Null when the client answered 2xx; otherwise why not, for last_error (never the token). */
  private async deliver(tenant: Tenant, job: BackchannelLogoutJob): Promise<string | null> {
    const allowPrivate = this.config.outboundAllowPrivateTargets;
    // The outbound guard (issue 10 item 3): a literal is refused before anything is minted; a
    // name is resolved and checked by the connection's own lookup below.
    if (!allowPrivate && isPrivateHostOf(job.uri)) return REFUSED;
    let token: string;
    try {
      token = await mintLogoutToken(await this.keys.signingKey(tenant.id, 'RS256'), {
        issuer: issuerFor(this.config.publicUrl, tenant.slug),
        audience: job.clientId,
        subject: job.userId,
        ...(job.sessionId === null ? {} : { sessionId: job.sessionId }),
        now: this.now(),
        lifetimeSeconds: LOGOUT_TOKEN_LIFETIME_SECONDS,
      });
    } catch (error) {
      this.logger.error('could not mint a logout token', { err: error, job: job.id });
      return 'could not mint the logout token';
    }
    const outcome = await postLogoutToken(job.uri, token, {
      timeoutMs: this.timeoutMs,
      allowPrivate,
      ...(this.resolve ? { resolve: this.resolve } : {}),
    });
    switch (outcome.kind) {
      case 'answered':
        // §2.8: the RP answers 200 on success; any 2xx is taken as delivered.
        return outcome.status >= 200 && outcome.status < 300 ? null : `HTTP ${outcome.status}`;
      case 'refused':
        return REFUSED;
      case 'timeout':
        return `no answer within ${this.timeoutMs} ms`;
      case 'failed':
        return 'connection failed';
    }
  }

  /** The job's outcome and its audit event, in one transaction. */
  private async record(tenant: Tenant, job: BackchannelLogoutJob, outcome: 'delivered' | 'failed', failure?: string): Promise<void> {
    const now = this.now();
    await this.persistence.transaction(async (repos) => {
      if (outcome === 'delivered') await repos.backchannelLogoutJobs.markDelivered(job.id, now);
      else await repos.backchannelLogoutJobs.markFailed(job.id, failure ?? 'failed', now);
      await repos.auditOutbox.append(tenant.id, [
        {
          type: outcome === 'delivered' ? 'backchannel_logout.delivered' : 'backchannel_logout.failed',
          outcome: outcome === 'delivered' ? 'success' : 'failure',
          occurredAt: now,
          clientId: job.clientId,
          userId: job.userId,
          details: { sid: job.sessionId, attempts: job.attempts, ...(failure === undefined ? {} : { error: failure }) },
        },
      ]);
    });
  }
}

function isPrivateHostOf(uri: string): boolean {
  try {
    return isPrivateHost(new URL(uri).hostname);
  } catch {
    return true;
  }
}
