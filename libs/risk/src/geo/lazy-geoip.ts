import type { GeoLocation } from '@gatehouse/audit';
import { defaultGeoIpPaths } from './default-geoip-paths.js';
import { openGeoIp, type GeoIpReader, type GeoIpSource } from './geoip-reader.js';
import { isInternalAddress } from './internal-address.js';
import { parseIpAddress } from './ip-address.js';

/**
 * Opens the database on the first lookup that needs it, once, so start-up does not pay for
 * it and processes that never see a public address never load it. Concurrent first lookups
 * share one open; a failed open is retried by the next lookup.
 */
export class LazyGeoIp {
  private opening: Promise<GeoIpReader> | null = null;

  constructor(private readonly source: GeoIpSource) {}

  async locate(ip: string): Promise<GeoLocation> {
    const address = parseIpAddress(ip);
    if (!address) return { kind: 'unknown' };
    if (isInternalAddress(address)) return { kind: 'internal' };
    return (await this.reader()).locate(ip);
  }

  reader(): Promise<GeoIpReader> {
    this.opening ??= openGeoIp(this.source).catch((error: unknown) => {
      this.opening = null;
      throw error;
    });
    return this.opening;
  }
}

const shared = new Map<string, LazyGeoIp>();

/**
 * One reader per database in a process: the authorization app (login risk) and the audit worker
 * share it when they run together (`npm start`), so the ~135 MB database is loaded once.
 * `path` is GEOIP_DB_PATH; unset means the shipped DB-IP Lite database.
 */
export function sharedGeoIp(path: string | undefined): LazyGeoIp {
  const source = path ?? defaultGeoIpPaths();
  const key = JSON.stringify(source);
  let reader = shared.get(key);
  if (!reader) {
    reader = new LazyGeoIp(source);
    shared.set(key, reader);
  }
  return reader;
}
