import type { DeviceInfo, GeoLocation, OutboxEvent } from '@gatehouse/audit';
import { parseUserAgent, type LazyGeoIp } from '@gatehouse/risk';

/** audit_records.device_id is varchar(64). */
const MAX_DEVICE_ID = 64;

export interface Enrichment {
  readonly geo: GeoLocation;
  readonly device: DeviceInfo | undefined;
}

/** Where the event came from (geo database) and on what (device cookie id + parsed user agent). */
export class EventEnricher {
  constructor(private readonly geoIp: LazyGeoIp) {}

  async enrich(event: OutboxEvent): Promise<Enrichment> {
    const geo = event.ip ? await this.geoIp.locate(event.ip).catch((): GeoLocation => ({ kind: 'unknown' })) : { kind: 'unknown' as const };
    const parsed = event.userAgent ? parseUserAgent(event.userAgent) : undefined;
    // Device cookie ids are short (libs/risk issueDeviceId); anything longer than the column is not one.
    const deviceId = event.deviceId && event.deviceId.length <= MAX_DEVICE_ID ? event.deviceId : undefined;
    const device: DeviceInfo | undefined =
      deviceId || parsed ? stripUndefined({ id: deviceId, browser: parsed?.browser, os: parsed?.os, type: parsed?.type }) : undefined;
    return { geo, device };
  }
}

/** Records hold absent members, never undefined ones: the hash covers what the store gives back. */
function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined && item !== null && item !== '')) as T;
}
