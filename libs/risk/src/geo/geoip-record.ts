import type { GeoLocation } from '@gatehouse/audit';

/**
 * The fields read from a city database record. Two shapes exist in the wild:
 * MaxMind GeoIP2 / GeoLite2 City (`country.iso_code`, `city.names.en`, `location.*`) and the
 * flat DB-IP Lite layout of `@ip-location-db` (`country_code`, `city`, `latitude`, `longitude`).
 */
export interface CityRecord {
  readonly country?: { readonly iso_code?: unknown };
  readonly registered_country?: { readonly iso_code?: unknown };
  readonly city?: unknown;
  readonly location?: { readonly latitude?: unknown; readonly longitude?: unknown };
  readonly country_code?: unknown;
  readonly latitude?: unknown;
  readonly longitude?: unknown;
}

const COUNTRY_CODE = /^[A-Za-z]{2}$/;

/** Turns a database record (either shape) into a GeoLocation; no usable country means unknown. */
export function toGeoLocation(record: CityRecord | null | undefined): GeoLocation {
  if (!record || typeof record !== 'object') return { kind: 'unknown' };
  // MaxMind leaves `country` out for some networks (anonymous proxies, satellite); the
  // country the network is registered in is the next best answer.
  const country = textOf(record.country_code) ?? textOf(record.country?.iso_code) ?? textOf(record.registered_country?.iso_code);
  if (!country || !COUNTRY_CODE.test(country)) return { kind: 'unknown' };
  const latitude = coordinateOf(record.latitude ?? record.location?.latitude, 90);
  const longitude = coordinateOf(record.longitude ?? record.location?.longitude, 180);
  const hasPoint = latitude !== undefined && longitude !== undefined;
  return {
    kind: 'located',
    country: country.toUpperCase(),
    city: cityOf(record.city),
    latitude: hasPoint ? latitude : undefined,
    longitude: hasPoint ? longitude : undefined,
  };
}

function cityOf(city: unknown): string | undefined {
  if (typeof city === 'string') return textOf(city);
  if (city && typeof city === 'object' && 'names' in city) {
    const names = (city as { names?: Record<string, unknown> }).names;
    return textOf(names?.['en']);
  }
  return undefined;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function coordinateOf(value: unknown, limit: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit ? value : undefined;
}
