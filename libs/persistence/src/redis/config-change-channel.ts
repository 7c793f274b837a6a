import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

/** The Redis channel on which admin changes reach every authorization instance's tenant, client and API caches. */
export const CONFIG_CHANGE_CHANNEL = 'gatehouse:config-changes';

export type ConfigChange =
  | { readonly kind: 'tenant'; readonly tenantId: string; readonly slug: string }
  | { readonly kind: 'client'; readonly tenantId: string; readonly clientId: string }
  /** A tenant's APIs (RFC 8707 resources) changed: any of them created, updated or deleted. */
  | { readonly kind: 'apis'; readonly tenantId: string };

type Listener = (change: ConfigChange) => void;

/** How admin services announce a committed change; `publishConfigChange` bound to the process's Redis, if any. */
export type ConfigChangePublisher = (change: ConfigChange) => Promise<void>;

export function configChangePublisher(redis: Redis | undefined): ConfigChangePublisher {
  return (change) => publishConfigChange(redis, change);
}

/** In-process delivery: one process serving every app (the standalone and embedded setup) needs no Redis to hear its own changes. */
const local = new EventEmitter().setMaxListeners(100);

/** Waits before the second and third attempt to publish: a connection being re-established. */
const PUBLISH_RETRY_DELAYS_MS = [50, 250];

/**
 * Announces a committed admin change. The database is the record, and a lost message only
 * means an instance serves its cached copy until the cache's TTL; but the shared client fails
 * fast while it reconnects (no offline queue), so a moment's hiccup is retried twice before the
 * announcement is given up. Never throws: the change itself has committed.
 */
export async function publishConfigChange(
  redis: Redis | undefined,
  change: ConfigChange,
  delaysMs: readonly number[] = PUBLISH_RETRY_DELAYS_MS,
): Promise<void> {
  local.emit('change', change);
  if (!redis) return;
  const message = JSON.stringify(change);
  for (let attempt = 0; ; attempt++) {
    try {
      await redis.publish(CONFIG_CHANGE_CHANNEL, message);
      return;
    } catch {
      const delay = delaysMs[attempt];
      if (delay === undefined) return;
      await sleep(delay);
    }
  }
}

/**
 * Listens for changes made in this process and, with Redis, in every other one. Returns
 * the function that stops listening (and closes the subscriber connection).
 * `onResync` runs whenever the Redis subscription (re)connects: announcements made while it
 * was away are lost, so a listener's caches must forget what they hold.
 */
export function subscribeConfigChanges(
  redis: Redis | undefined,
  listener: Listener,
  onResync: () => void = () => undefined,
): Promise<() => Promise<void>> {
  local.on('change', listener);
  if (!redis)
    return Promise.resolve(() => {
      local.off('change', listener);
      return Promise.resolve();
    });
  const subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  subscriber.on('error', () => undefined);
  subscriber.on('ready', onResync);
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== CONFIG_CHANGE_CHANNEL) return;
    const change = parseChange(message);
    if (change) listener(change);
  });
  // Not awaited: with Redis away the subscription waits for the reconnect, and start-up must not.
  void subscriber.subscribe(CONFIG_CHANGE_CHANNEL).catch(() => undefined);
  return Promise.resolve(async () => {
    local.off('change', listener);
    await subscriber.quit().catch(() => subscriber.disconnect());
  });
}

function parseChange(message: string): ConfigChange | null {
  try {
    const value = JSON.parse(message) as Partial<Record<string, unknown>>;
    if (typeof value['tenantId'] !== 'string') return null;
    if (value['kind'] === 'tenant' && typeof value['slug'] === 'string')
      return { kind: 'tenant', tenantId: value['tenantId'], slug: value['slug'] };
    if (value['kind'] === 'client' && typeof value['clientId'] === 'string')
      return { kind: 'client', tenantId: value['tenantId'], clientId: value['clientId'] };
    if (value['kind'] === 'apis') return { kind: 'apis', tenantId: value['tenantId'] };
    return null;
  } catch {
    return null;
  }
}
