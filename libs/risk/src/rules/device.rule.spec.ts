import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RISK_POLICY, resolveRiskPolicy } from '../risk-policy.js';
import { signals } from '../testing/risk-signals.factory.js';
import { checkDevice } from './device.rule.js';

describe('checkDevice', () => {
  it('is quiet for a known device', () => {
    assert.deepEqual(checkDevice(signals({ history: { knownDeviceIds: ['device-0', 'device-1'] } }), DEFAULT_RISK_POLICY), []);
  });

  it('flags an unknown device id', () => {
    const reasons = checkDevice(signals({ device: { id: 'device-9', browser: 'Chrome 124', os: 'Windows 10' } }), DEFAULT_RISK_POLICY);
    assert.deepEqual(reasons, [
      { rule: 'device.new', points: 20, detail: 'new device (unknown device cookie; Chrome 124 on Windows 10); 1 known device' },
    ]);
  });

  it('flags a login without a device cookie once the user has known devices', () => {
    const reasons = checkDevice(signals({ device: {}, history: { knownDeviceIds: ['a', 'b'] } }), DEFAULT_RISK_POLICY);
    assert.deepEqual(reasons, [
      { rule: 'device.new', points: 20, detail: 'new device (no device cookie; unrecognised browser); 2 known devices' },
    ]);
  });

  it('does not flag the first device of a user with no known devices', () => {
    assert.deepEqual(checkDevice(signals({ device: { id: 'device-9' }, history: { knownDeviceIds: [] } }), DEFAULT_RISK_POLICY), []);
    assert.deepEqual(checkDevice(signals({ device: {}, history: { knownDeviceIds: [] } }), DEFAULT_RISK_POLICY), []);
  });

  it('uses the tenant points', () => {
    const reasons = checkDevice(signals({ device: { id: 'device-9' } }), resolveRiskPolicy({ newDevicePoints: 5 }));
    assert.equal(reasons[0]?.points, 5);
  });
});
