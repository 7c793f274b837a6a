import type { DeviceInfo, GeoLocation, OutboxEvent } from '@gatehouse/audit';
import { parseUserAgent, type LazyGeoIp, type ParsedUserAgent } from '@gatehouse/risk';

/** audit_records.device_id is varchar(64). */
const MAX_DEVICE_ID = 64;
/** Distinct user agents remembered; a busy tenant sends a few hundred, an attacker rotating them only resets the cache. */
const USER_AGENT_CACHE = 2_000;

export interface Enrichment {
  readonly geo: GeoLocation;
  readonly device: DeviceInfo | undefined;
}

/** Where the event came from (geo database) and on what (device cookie id + parsed user agent). */
export class EventEnricher {
  private readonly userAgents = new Map<string, ParsedUserAgent>();

  constructor(private readonly geoIp: LazyGeoIp) {}

  async enrich(event: OutboxEvent): Promise<Enrichment> {
    const geo = event.ip ? await this.geoIp.locate(event.ip).catch((): GeoLocation => ({ kind: 'unknown' })) : { kind: 'unknown' as const };
    const parsed = event.userAgent ? this.parse(event.userAgent) : undefined;
    // Device cookie ids are short (libs/risk issueDeviceId); anything longer than the column is not one.
    const deviceId = event.deviceId && event.deviceId.length <= MAX_DEVICE_ID ? event.deviceId : undefined;
    const device: DeviceInfo | undefined =
      deviceId || parsed ? stripUndefined({ id: deviceId, browser: parsed?.browser, os: parsed?.os, type: parsed?.type }) : undefined;
    return { geo, device };
  }

  /** ua-parser-js runs dozens of regular expressions per string: the largest per-event cost after the risk history was. */
  private parse(userAgent: string): ParsedUserAgent {
    let parsed = this.userAgents.get(userAgent);
    if (!parsed) {
      if (this.userAgents.size >= USER_AGENT_CACHE) this.userAgents.clear();
      parsed = parseUserAgent(userAgent);
      this.userAgents.set(userAgent, parsed);
    }
    return parsed;
  }
}

/** Records hold absent members, never undefined ones: the hash covers what the store gives back. */
function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined && item !== null && item !== '')) as T;
}
