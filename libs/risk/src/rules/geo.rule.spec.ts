import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { greatCircleKm } from '../geo/great-circle.js';
import { DEFAULT_RISK_POLICY, resolveRiskPolicy } from '../risk-policy.js';
import { BERLIN, MUNICH, NEW_YORK, NOW, PARIS, minutesAgo, signals } from '../testing/risk-signals.factory.js';
import { checkGeo } from './geo.rule.js';

const point = (location: typeof BERLIN): { latitude: number; longitude: number } => {
  assert.equal(location.kind, 'located');
  return { latitude: location.latitude ?? NaN, longitude: location.longitude ?? NaN };
};
const BERLIN_PARIS_KM = greatCircleKm(point(BERLIN), point(PARIS));

describe('checkGeo', () => {
  it('is quiet for a login from a seen country at a plausible speed', () => {
    assert.deepEqual(checkGeo(signals({ location: MUNICH }), DEFAULT_RISK_POLICY), []);
  });

  it('does not flag the first login ever (no history)', () => {
    const first = signals({ location: NEW_YORK, history: { countries: [], lastLogin: undefined } });
    assert.deepEqual(checkGeo(first, DEFAULT_RISK_POLICY), []);
  });

  it('flags a country not seen before', () => {
    const reasons = checkGeo(signals({ location: PARIS, history: { countries: ['DE', 'at'] } }), DEFAULT_RISK_POLICY);
    assert.deepEqual(reasons, [{ rule: 'geo.new_country', points: 30, detail: 'login from FR, not seen before (seen: AT, DE)' }]);
  });

  it('flags impossible travel inside one country set', () => {
    // Berlin -> New York in one hour, the user has logged in from both before.
    const reasons = checkGeo(
      signals({ location: NEW_YORK, history: { countries: ['DE', 'US'], lastLogin: { at: minutesAgo(60), location: BERLIN } } }),
      DEFAULT_RISK_POLICY,
    );
    assert.equal(reasons.length, 1);
    assert.equal(reasons[0]?.rule, 'geo.impossible_travel');
    assert.equal(reasons[0]?.points, 30);
    assert.match(reasons[0]?.detail ?? '', /^6385 km from DE to US in 60 min: 6385 km\/h, limit 900 km\/h$/);
  });

  it('counts a new country with impossible travel once, naming both', () => {
    const reasons = checkGeo(
      signals({ location: NEW_YORK, history: { lastLogin: { at: minutesAgo(60), location: BERLIN } } }),
      DEFAULT_RISK_POLICY,
    );
    assert.deepEqual(
      reasons.map((r) => [r.rule, r.points]),
      [
        ['geo.new_country', 30],
        ['geo.impossible_travel', 0],
      ],
    );
    assert.match(reasons[1]?.detail ?? '', /counted once/);
  });

  it('trips strictly above the speed limit, not at it', () => {
    const hoursAtLimit = BERLIN_PARIS_KM / 900;
    const at = (hours: number) =>
      signals({
        location: PARIS,
        history: { countries: ['DE', 'FR'], lastLogin: { at: new Date(NOW.getTime() - hours * 3_600_000), location: BERLIN } },
      });
    assert.deepEqual(checkGeo(at(hoursAtLimit), DEFAULT_RISK_POLICY), []);
    assert.equal(checkGeo(at(hoursAtLimit * 0.99), DEFAULT_RISK_POLICY)[0]?.rule, 'geo.impossible_travel');
  });

  it('uses the tenant speed limit and points', () => {
    const policy = resolveRiskPolicy({ impossibleTravelKmh: 400, geoAnomalyPoints: 55 });
    // Berlin -> Paris (878 km) in 2 h is 439 km/h: fine by default, too fast for this tenant.
    const trip = signals({ location: PARIS, history: { countries: ['DE', 'FR'], lastLogin: { at: minutesAgo(120), location: BERLIN } } });
    assert.deepEqual(checkGeo(trip, DEFAULT_RISK_POLICY), []);
    assert.deepEqual(
      checkGeo(trip, policy).map((r) => [r.rule, r.points]),
      [['geo.impossible_travel', 55]],
    );
  });

  it('treats zero elapsed time as infinitely fast, and a previous login after this one by the absolute gap', () => {
    const same = checkGeo(
      signals({ location: NEW_YORK, history: { countries: ['DE', 'US'], lastLogin: { at: NOW, location: BERLIN } } }),
      DEFAULT_RISK_POLICY,
    );
    assert.match(same[0]?.detail ?? '', /in 0 min: no time elapsed/);
    const later = new Date(NOW.getTime() + 60 * 60_000);
    const outOfOrder = checkGeo(
      signals({ location: NEW_YORK, history: { countries: ['DE', 'US'], lastLogin: { at: later, location: BERLIN } } }),
      DEFAULT_RISK_POLICY,
    );
    assert.equal(outOfOrder[0]?.rule, 'geo.impossible_travel');
    const weekLater = new Date(NOW.getTime() + 7 * 24 * 3_600_000);
    assert.deepEqual(
      checkGeo(
        signals({ location: NEW_YORK, history: { countries: ['DE', 'US'], lastLogin: { at: weekLater, location: BERLIN } } }),
        DEFAULT_RISK_POLICY,
      ),
      [],
    );
  });

  it('ignores short hops that city-level geolocation cannot tell apart', () => {
    const nearBerlin = { kind: 'located', country: 'DE', city: 'Potsdam', latitude: 52.3906, longitude: 13.0645 } as const;
    assert.deepEqual(
      checkGeo(signals({ location: nearBerlin, history: { lastLogin: { at: minutesAgo(1), location: BERLIN } } }), DEFAULT_RISK_POLICY),
      [],
    );
  });

  it('never trips for internal or unknown locations, on either side', () => {
    for (const location of [{ kind: 'internal' }, { kind: 'unknown' }] as const) {
      assert.deepEqual(
        checkGeo(
          signals({ location, history: { countries: ['FR'], lastLogin: { at: minutesAgo(1), location: NEW_YORK } } }),
          DEFAULT_RISK_POLICY,
        ),
        [],
      );
      // Previous login internal: no travel to measure; Germany was seen, so no new country either.
      assert.deepEqual(
        checkGeo(signals({ location: BERLIN, history: { lastLogin: { at: minutesAgo(1), location } } }), DEFAULT_RISK_POLICY),
        [],
      );
    }
  });

  it('checks only the country when a location has no coordinates', () => {
    const countryOnly = { kind: 'located', country: 'US' } as const;
    const reasons = checkGeo(
      signals({ location: countryOnly, history: { lastLogin: { at: minutesAgo(1), location: BERLIN } } }),
      DEFAULT_RISK_POLICY,
    );
    assert.deepEqual(
      reasons.map((r) => r.rule),
      ['geo.new_country'],
    );
  });
});
