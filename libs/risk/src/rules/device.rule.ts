import type { RiskReason } from '@gatehouse/audit';
import type { RiskPolicy } from '../risk-policy.js';
import type { RiskSignals } from '../risk-signals.js';

/**
 * `device.new`: the attempt comes from a device this user has not logged in from before. A user
 * with no known device (first login, or none since device cookies exist) is not flagged:
 * there is nothing to compare with. Once the user has known devices, an attempt without a
 * (valid) device cookie is a new device.
 */
export function checkDevice(signals: RiskSignals, policy: RiskPolicy): RiskReason[] {
  const { device, history } = signals;
  if (history.knownDeviceIds.length === 0) return [];
  if (device.id !== undefined && history.knownDeviceIds.includes(device.id)) return [];
  const what = [device.browser, device.os].filter(Boolean).join(' on ') || 'unrecognised browser';
  const cookie = device.id === undefined ? 'no device cookie' : 'unknown device cookie';
  return [
    {
      rule: 'device.new',
      points: policy.newDevicePoints,
      detail: `new device (${cookie}; ${what}); ${count(history.knownDeviceIds.length, 'known device')}`,
    },
  ];
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
