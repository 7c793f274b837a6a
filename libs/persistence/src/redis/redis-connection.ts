import { Redis } from 'ioredis';

export interface RedisConnection {
  readonly client: Redis;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One shared connection per process; commands queue while it reconnects. */
export async function openRedis(url: string): Promise<RedisConnection> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
  client.on('error', () => undefined); // readiness reports it; avoid unhandled error events
  await client.connect();
  return {
    client,
    ping: async () => {
      await client.ping();
    },
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
