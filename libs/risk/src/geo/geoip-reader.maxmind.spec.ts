import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeCityMmdb } from '../testing/mmdb-writer.js';
import { openGeoIp, type GeoIpReader } from './geoip-reader.js';

// What GEOIP_DB_PATH points at: one GeoLite2-City-shaped file holding both families. The
// fixture is written here (MaxMind's data is licensed), with records shaped like theirs.
const city = (iso: string, name: string, latitude: number, longitude: number) => ({
  city: { geoname_id: 1, names: { en: name, fr: name } },
  continent: { code: 'EU', names: { en: 'Europe' } },
  country: { iso_code: iso, names: { en: iso } },
  location: { accuracy_radius: 20, latitude, longitude, time_zone: 'Europe/London' },
  registered_country: { iso_code: iso, names: { en: iso } },
});

describe('openGeoIp on a MaxMind GeoLite2-City-format file', () => {
  let dir: string;
  let geo: GeoIpReader;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'geoip-'));
    const path = join(dir, 'GeoLite2-City.mmdb');
    writeFileSync(
      path,
      writeCityMmdb([
        { cidr: '81.2.69.0/24', record: city('GB', 'London', 51.5142, -0.0931) },
        { cidr: '2.125.160.216/29', record: city('GB', 'Boxford', 51.75, -1.25) },
        { cidr: '2001:218::/32', record: city('JP', 'Tokyo', 35.68, 139.69) },
        // An anonymous network: no `country`, only where it is registered.
        {
          cidr: '67.43.156.0/24',
          record: { registered_country: { iso_code: 'BT', names: { en: 'Bhutan' } }, traits: { is_anonymous_proxy: 1 } },
        },
      ]),
    );
    geo = await openGeoIp(path);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('locates IPv4 from the ::/96 subtree and IPv6 from the same file', () => {
    assert.deepEqual(geo.locate('81.2.69.142'), { kind: 'located', country: 'GB', city: 'London', latitude: 51.5142, longitude: -0.0931 });
    assert.deepEqual(geo.locate('::ffff:2.125.160.218'), {
      kind: 'located',
      country: 'GB',
      city: 'Boxford',
      latitude: 51.75,
      longitude: -1.25,
    });
    assert.deepEqual(geo.locate('2001:218:1::1'), { kind: 'located', country: 'JP', city: 'Tokyo', latitude: 35.68, longitude: 139.69 });
  });

  it('falls back to the registered country', () => {
    assert.deepEqual(geo.locate('67.43.156.1'), {
      kind: 'located',
      country: 'BT',
      city: undefined,
      latitude: undefined,
      longitude: undefined,
    });
  });

  it('is unknown outside the networks, internal for private ones', () => {
    assert.deepEqual(geo.locate('81.2.70.1'), { kind: 'unknown' });
    assert.deepEqual(geo.locate('2.125.160.224'), { kind: 'unknown' });
    assert.deepEqual(geo.locate('2001:219::1'), { kind: 'unknown' });
    assert.deepEqual(geo.locate('10.0.0.1'), { kind: 'internal' });
  });
});
