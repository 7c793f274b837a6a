import type { Redis } from 'ioredis';

/**
 * Failures per username and the lock notice they raise, mirroring the database's lockout:
 * failures count from the first one for `lockoutMs`; the `threshold`-th raises the notice for
 * `lockoutMs` from that moment; failures while it stands are not counted and do not extend it;
 * after it, the count starts again. Nothing clears it early (a successful login does not:
 * that would tell a real account from a made-up one). Time comes from the caller's clock.
 */
export interface LockNoticeStore {
  /** Records one refused login; true when the notice stands (raised now or before). */
  fail(key: string, now: number, threshold: number, lockoutMs: number): Promise<boolean>;
  /** The failures counted toward the notice and when the last one was; null while the notice stands or with none counted. */
  failures(key: string, now: number, lockoutMs: number): Promise<RecentFailures | null>;
}

export interface RecentFailures {
  readonly count: number;
  readonly last: number;
}

// Keys are cleaned up by Redis a minute after the logic stops needing them; the logic reads the stored times.
const FAIL = `
local now = tonumber(ARGV[1])
local threshold = tonumber(ARGV[2])
local lockout = tonumber(ARGV[3])
local raised = redis.call('GET', KEYS[2])
if raised and tonumber(raised) + lockout > now then return 1 end
local count, since = 0, now
local tally = redis.call('GET', KEYS[1])
if tally then
  local c, s = string.match(tally, '^(%d+):(%d+)')
  if c and tonumber(s) + lockout > now then count, since = tonumber(c), tonumber(s) end
end
count = count + 1
if count >= threshold then
  redis.call('SET', KEYS[2], tostring(now), 'PX', lockout + 60000)
  redis.call('DEL', KEYS[1])
  return 1
end
redis.call('SET', KEYS[1], count .. ':' .. since .. ':' .. now, 'PX', lockout + 60000)
return 0
`;

/** Shared by every instance: one script call per refused login. */
export class RedisLockNoticeStore implements LockNoticeStore {
  constructor(private readonly redis: Redis) {}

  async fail(key: string, now: number, threshold: number, lockoutMs: number): Promise<boolean> {
    // One hash tag: both keys live in one cluster slot, as a script needs.
    const keys = [`gatehouse:{lock:${key}}:tally`, `gatehouse:{lock:${key}}:raised`];
    const raised = await this.redis.eval(FAIL, 2, ...keys, String(Math.floor(now)), String(threshold), String(lockoutMs));
    return raised === 1;
  }

  async failures(key: string, now: number, lockoutMs: number): Promise<RecentFailures | null> {
    const [tally, raised] = await this.redis.mget(`gatehouse:{lock:${key}}:tally`, `gatehouse:{lock:${key}}:raised`);
    if (raised && Number(raised) + lockoutMs > now) return null;
    const match = /^(\d+):(\d+):(\d+)$/.exec(tally ?? '');
    if (!match) return null;
    const [count, since, last] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return since + lockoutMs > now ? { count, last } : null;
  }
}

const DEFAULT_MAX_KEYS = 100_000;

/** In this process: the embedded single-process mode and tests. Past `maxKeys` the oldest entries go. */
export class InProcessLockNoticeStore implements LockNoticeStore {
  private readonly entries = new Map<string, { count: number; since: number; last: number; raised: number }>();

  constructor(private readonly maxKeys = DEFAULT_MAX_KEYS) {}

  fail(key: string, now: number, threshold: number, lockoutMs: number): Promise<boolean> {
    const entry = this.entries.get(key) ?? { count: 0, since: now, last: now, raised: -Infinity };
    this.entries.delete(key);
    if (entry.raised + lockoutMs > now) {
      this.entries.set(key, entry);
      return Promise.resolve(true);
    }
    const counting = entry.count > 0 && entry.since + lockoutMs > now;
    const count = (counting ? entry.count : 0) + 1;
    const raised = count >= threshold;
    this.entries.set(
      key,
      raised
        ? { count: 0, since: now, last: now, raised: now }
        : { count, since: counting ? entry.since : now, last: now, raised: -Infinity },
    );
    if (this.entries.size > this.maxKeys) this.entries.delete(this.entries.keys().next().value as string);
    return Promise.resolve(raised);
  }

  failures(key: string, now: number, lockoutMs: number): Promise<RecentFailures | null> {
    const entry = this.entries.get(key);
    if (!entry || entry.raised + lockoutMs > now || entry.count === 0 || entry.since + lockoutMs <= now) return Promise.resolve(null);
    return Promise.resolve({ count: entry.count, last: entry.last });
  }
}
