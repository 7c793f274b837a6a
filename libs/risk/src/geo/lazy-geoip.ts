import type { GeoLocation } from '@gatehouse/audit';
import { defaultGeoIpPaths } from './default-geoip-paths.js';
import { openGeoIp, openGeoIpFamily, type GeoIpReader, type GeoIpSource } from './geoip-reader.js';
import { isInternalAddress } from './internal-address.js';
import { parseIpAddress } from './ip-address.js';

/**
 * Opens the database on the first lookup that needs it, once, so start-up does not pay for
 * it and processes that never see a public address never load it. A database shipped as one
 * file per family (DB-IP Lite: 63 MB IPv4, 71 MB IPv6, held in memory) is opened one family at
 * a time, so a process that sees IPv4 only never holds the IPv6 file. Concurrent first lookups
 * share one open; a failed open is retried by the next lookup.
 */
export class LazyGeoIp {
  private readonly opening = new Map<'both' | 4 | 6, Promise<GeoIpReader>>();

  constructor(
    private readonly source: GeoIpSource,
    private readonly open: GeoIpOpeners = { file: openGeoIp, family: openGeoIpFamily },
  ) {}

  async locate(ip: string): Promise<GeoLocation> {
    const address = parseIpAddress(ip);
    if (!address) return { kind: 'unknown' };
    if (isInternalAddress(address)) return { kind: 'internal' };
    return (await this.reader(address.family)).locate(ip);
  }

  /** The reader that answers addresses of `family`: the one file, or that family's file of a pair. */
  reader(family: 4 | 6): Promise<GeoIpReader> {
    const source = this.source;
    const key = typeof source === 'string' ? 'both' : family;
    let opening = this.opening.get(key);
    if (!opening) {
      opening = (typeof source === 'string' ? this.open.file(source) : this.open.family(source, family)).catch((error: unknown) => {
        this.opening.delete(key);
        throw error;
      });
      this.opening.set(key, opening);
    }
    return opening;
  }
}

/** How a database is opened: the whole of one file, or one family of a pair (tests count the calls). */
export interface GeoIpOpeners {
  readonly file: (source: string) => Promise<GeoIpReader>;
  readonly family: (source: { readonly ipv4: string; readonly ipv6: string }, family: 4 | 6) => Promise<GeoIpReader>;
}

const shared = new Map<string, LazyGeoIp>();

/**
 * One reader per database in a process: the authorization app (login risk) and the audit worker
 * share it when they run together (`npm start`), so the database (up to ~135 MB) is loaded once.
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
