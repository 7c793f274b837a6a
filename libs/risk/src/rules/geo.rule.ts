import type { GeoLocation, RiskReason } from '@gatehouse/audit';
import { greatCircleKm, type LatLong } from '../geo/great-circle.js';
import type { RiskPolicy } from '../risk-policy.js';
import type { RiskSignals } from '../risk-signals.js';

/**
 * City-level databases put two addresses of one metro area tens of km apart; below this
 * distance nothing counts as travel, however short the time between the logins.
 */
export const MIN_TRAVEL_KM = 200;

/**
 * Geographic anomaly, counted once: a country the user never logged in from before
 * (`geo.new_country`), or a trip from the last successful login faster than the tenant's
 * speed limit (`geo.impossible_travel`). When both apply both reasons are listed and only the
 * first carries the points, so the reasons' points always add up to the score. Internal and
 * unknown locations never trip it, and a first login has nothing to compare with.
 */
export function checkGeo(signals: RiskSignals, policy: RiskPolicy): RiskReason[] {
  const { location, history } = signals;
  if (location.kind !== 'located') return [];
  const found: { rule: string; detail: string }[] = [];

  const seen = new Set(history.countries.map((country) => country.toUpperCase()));
  if (seen.size > 0 && !seen.has(location.country)) {
    found.push({
      rule: 'geo.new_country',
      detail: `login from ${location.country}, not seen before (seen: ${[...seen].sort().join(', ')})`,
    });
  }

  const last = history.lastLogin;
  const from = last && pointOf(last.location);
  const to = pointOf(location);
  if (last && from && to) {
    const km = greatCircleKm(from, to);
    // Out-of-order events can put the previous login after this one: the trip is the same.
    const hours = Math.abs(signals.now.getTime() - last.at.getTime()) / 3_600_000;
    const kmh = hours === 0 ? Infinity : km / hours;
    if (km >= MIN_TRAVEL_KM && kmh > policy.impossibleTravelKmh) {
      const origin = last.location.kind === 'located' ? last.location.country : '?';
      found.push({
        rule: 'geo.impossible_travel',
        detail: `${Math.round(km)} km from ${origin} to ${location.country} in ${duration(hours)}: ${speed(kmh)}, limit ${policy.impossibleTravelKmh} km/h`,
      });
    }
  }

  return found.map((reason, index) => ({
    ...reason,
    points: index === 0 ? policy.geoAnomalyPoints : 0,
    detail: index === 0 ? reason.detail : `${reason.detail} (geographic anomaly counted once)`,
  }));
}

function pointOf(location: GeoLocation): LatLong | null {
  if (location.kind !== 'located' || location.latitude === undefined || location.longitude === undefined) return null;
  return { latitude: location.latitude, longitude: location.longitude };
}

function speed(kmh: number): string {
  return Number.isFinite(kmh) ? `${Math.round(kmh)} km/h` : 'no time elapsed';
}

function duration(hours: number): string {
  const minutes = Math.round(hours * 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(hours)} h`;
}
