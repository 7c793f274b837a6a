/**
 * How much of the configuration one authorization instance keeps in memory. Sized for
 * tens of thousands of active tenants (issue 12: 10,000 tenants, 100,000 clients), with the
 * oldest entry dropped first beyond that; a client entry is about a kilobyte.
 */
export const CACHE_SIZES = {
  tenants: 20_000,
  clients: 50_000,
  tenantApis: 20_000,
} as const;

/**
 * With Redis, every instance hears each change announced (and forgets everything when the
 * channel reconnects), so entries may live long; the TTL only bounds a lost announcement.
 * Without Redis, a CLI in another process changes the database unannounced: keep it short.
 */
export function cacheTtlMs(sharedAnnouncements: boolean): number {
  return sharedAnnouncements ? 300_000 : 10_000;
}
