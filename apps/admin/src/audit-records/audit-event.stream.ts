import type { ServerResponse } from 'node:http';
import type { AuditRecord } from '@gatehouse/audit';
import { presentAuditRecord } from './audit-record.presenter.js';

export interface StreamTiming {
  readonly pollMs: number;
  readonly heartbeatMs: number;
  readonly batch: number;
}

/** Poll the store every half second (works across processes); a comment line every 15 s keeps proxies from timing out. */
export const STREAM_TIMING: StreamTiming = { pollMs: 500, heartbeatMs: 15_000, batch: 500 };

/** Resolves once the chunk is handed over, waiting for 'drain' when the socket's buffer is full (or the client left). */
export function writeChunk(out: ServerResponse, chunk: string): Promise<void> {
  if (out.destroyed || out.writableEnded || out.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** Whether the caller may still read the stream (its token still stands and still carries the role). */
export type StreamPermit = () => Promise<boolean>;

/**
 * One Server-Sent Events connection tailing a tenant's audit chain (WHATWG HTML §9.2):
 * `id` is the chain sequence, so a reconnecting browser's Last-Event-ID resumes exactly
 * after the last record it received. The caller's permit is asked on every poll; the
 * response ends as soon as it is refused.
 */
export class AuditEventStream {
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly out: ServerResponse,
    private readonly tail: (afterSequence: number, limit: number) => Promise<AuditRecord[]>,
    private position: number,
    private readonly permitted: StreamPermit = () => Promise.resolve(true),
    private readonly timing: StreamTiming = STREAM_TIMING,
  ) {
    out.on('close', () => this.close());
  }

  /** Runs until the client disconnects or close() is called. */
  async run(): Promise<void> {
    let lastBeat = Date.now();
    while (!this.closed) {
      const records = await this.tail(this.position, this.timing.batch);
      // Asked after the read: a record committed after a revocation is read only after the
      // revocation committed, so this check sees it and the record is never written.
      if (this.closed || !(await this.permitted())) return this.close();
      for (const record of records) {
        if (this.closed) return;
        await writeChunk(this.out, `id: ${record.sequence}\nevent: audit-record\ndata: ${JSON.stringify(presentAuditRecord(record))}\n\n`);
        this.position = record.sequence;
      }
      if (records.length === this.timing.batch) continue;
      if (Date.now() - lastBeat >= this.timing.heartbeatMs) {
        await writeChunk(this.out, ': heartbeat\n\n');
        lastBeat = Date.now();
      }
      await this.pause();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    if (!this.out.writableEnded) this.out.end();
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.wake = null;
        resolve();
      }, this.timing.pollMs);
    });
  }
}

/** The open streams of one app, so shutdown can end them instead of waiting on them. */
export class AuditEventStreams {
  private readonly open = new Set<AuditEventStream>();

  async serve(stream: AuditEventStream): Promise<void> {
    this.open.add(stream);
    try {
      await stream.run();
    } finally {
      this.open.delete(stream);
      stream.close();
    }
  }

  get size(): number {
    return this.open.size;
  }

  closeAll(): void {
    for (const stream of this.open) stream.close();
  }
}
