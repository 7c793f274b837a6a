import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toGeoLocation } from './geoip-record.js';

describe('toGeoLocation', () => {
  it('reads the MaxMind GeoIP2 / GeoLite2 City shape', () => {
    const record = {
      continent: { code: 'EU', names: { en: 'Europe' } },
      country: { iso_code: 'GB', names: { en: 'United Kingdom' } },
      registered_country: { iso_code: 'GB' },
      city: { geoname_id: 2643743, names: { de: 'London', en: 'London' } },
      location: { accuracy_radius: 100, latitude: 51.5142, longitude: -0.0931, time_zone: 'Europe/London' },
    };
    assert.deepEqual(toGeoLocation(record), { kind: 'located', country: 'GB', city: 'London', latitude: 51.5142, longitude: -0.0931 });
  });

  it('reads the DB-IP Lite shape of @ip-location-db', () => {
    const record = {
      city: 'Sydney',
      country_code: 'AU',
      latitude: -33.8688,
      longitude: 151.209,
      postcode: '',
      state1: 'New South Wales',
      timezone: '',
    };
    assert.deepEqual(toGeoLocation(record), { kind: 'located', country: 'AU', city: 'Sydney', latitude: -33.8688, longitude: 151.209 });
  });

  it('falls back to the registered country, and keeps a country without city or point', () => {
    assert.deepEqual(toGeoLocation({ registered_country: { iso_code: 'us' } }), {
      kind: 'located',
      country: 'US',
      city: undefined,
      latitude: undefined,
      longitude: undefined,
    });
    assert.deepEqual(toGeoLocation({ country_code: 'FR', city: '', latitude: 48.85 }), {
      kind: 'located',
      country: 'FR',
      city: undefined,
      latitude: undefined,
      longitude: undefined,
    });
  });

  it('drops coordinates that are not on Earth', () => {
    const location = toGeoLocation({ country_code: 'NL', latitude: 91, longitude: 4.9 });
    assert.deepEqual(location, { kind: 'located', country: 'NL', city: undefined, latitude: undefined, longitude: undefined });
  });

  it('is unknown without a usable country', () => {
    for (const record of [
      null,
      undefined,
      {},
      { country_code: '' },
      { country_code: 'EUR' },
      { country: { iso_code: 42 } },
      { city: 'Paris' },
    ]) {
      assert.deepEqual(toGeoLocation(record as never), { kind: 'unknown' }, JSON.stringify(record));
    }
  });
});
