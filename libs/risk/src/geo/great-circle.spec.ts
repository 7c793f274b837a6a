import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { greatCircleKm } from './great-circle.js';

const LONDON = { latitude: 51.5074, longitude: -0.1278 };
const PARIS = { latitude: 48.8566, longitude: 2.3522 };
const NEW_YORK = { latitude: 40.7128, longitude: -74.006 };
const LOS_ANGELES = { latitude: 34.0522, longitude: -118.2437 };
const SYDNEY = { latitude: -33.8688, longitude: 151.2093 };

describe('greatCircleKm', () => {
  const cases: [string, typeof LONDON, typeof LONDON, number, number][] = [
    ['London - Paris', LONDON, PARIS, 344, 2],
    ['New York - Los Angeles', NEW_YORK, LOS_ANGELES, 3936, 10],
    ['London - Sydney', LONDON, SYDNEY, 16994, 40],
    ['London - New York', LONDON, NEW_YORK, 5570, 15],
  ];
  for (const [name, from, to, km, tolerance] of cases) {
    it(`${name} is about ${km} km, both ways`, () => {
      assert.ok(Math.abs(greatCircleKm(from, to) - km) <= tolerance, `${greatCircleKm(from, to)}`);
      assert.equal(greatCircleKm(from, to), greatCircleKm(to, from));
    });
  }

  it('is 0 for one point and half the circumference for antipodes', () => {
    assert.equal(greatCircleKm(PARIS, PARIS), 0);
    assert.ok(Math.abs(greatCircleKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 }) - Math.PI * 6371.0088) < 1e-6);
  });

  it('crosses the antimeridian the short way', () => {
    // 1 degree of longitude on the equator is about 111.2 km.
    assert.ok(Math.abs(greatCircleKm({ latitude: 0, longitude: 179.5 }, { latitude: 0, longitude: -179.5 }) - 111.2) < 0.5);
  });
});
