import type { AuditRecord } from '../audit-record.js';

/** A failed login from a new country on a new device: every field a formatter maps is present. */
export function sampleRecord(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: '0190a3c2-7a1e-7cc1-9a4b-2b8f3c9d1e01',
    tenantId: '6f1c1e2a-5b7d-4c3e-9f10-2a3b4c5d6e7f',
    tenantSlug: 'acme',
    sequence: 42,
    type: 'login.failed',
    outcome: 'failure',
    occurredAt: new Date('2024-05-01T12:34:56.789Z'),
    recordedAt: new Date('2024-05-01T12:34:57.001Z'),
    userId: 'u-7',
    username: 'alice@example.com',
    clientId: 'web-app',
    ip: '203.0.113.9',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0',
    geo: { kind: 'located', country: 'FR', city: 'Paris', latitude: 48.8566, longitude: 2.3522 },
    device: { id: 'dev-1', browser: 'Firefox', os: 'Linux' },
    risk: {
      score: 50,
      reasons: [
        { rule: 'geo.new_country', points: 30, detail: 'first login from FR' },
        { rule: 'device.new', points: 20, detail: 'device not seen before' },
      ],
    },
    errorCode: 'access_denied',
    details: { reason: 'bad password', attempt: 2 },
    hash: '9f2c'.repeat(16),
    previousHash: '0b1a'.repeat(16),
    ...overrides,
  };
}

/** The same event with nothing optional: an anonymous success, no risk. */
export function minimalRecord(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: 'e-2',
    tenantId: 't-2',
    tenantSlug: 'beta',
    sequence: 1,
    type: 'session.ended',
    outcome: 'success',
    occurredAt: new Date('2024-01-02T03:04:05.006Z'),
    recordedAt: new Date('2024-01-02T03:04:05.106Z'),
    geo: { kind: 'unknown' },
    risk: { score: 0, reasons: [] },
    hash: 'ab'.repeat(32),
    previousHash: '00'.repeat(32),
    ...overrides,
  };
}

/** formatCef(sampleRecord(), { productVersion: '1.4.2' }), written out by hand. */
export const SAMPLE_CEF =
  'CEF:0|Gatehouse|Gatehouse|1.4.2|login.failed|Login failed|5|' +
  'rt=1714566896789 externalId=0190a3c2-7a1e-7cc1-9a4b-2b8f3c9d1e01 outcome=failure src=203.0.113.9 ' +
  'suser=alice@example.com suid=u-7 requestClientApplication=Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0 ' +
  'cs2=web-app cs2Label=oauthClientId cs3=acme cs3Label=tenant cn1=50 cn1Label=riskScore ' +
  'cs1=geo.new_country(+30): first login from FR; device.new(+20): device not seen before cs1Label=riskReasons ' +
  'reason=access_denied cs4=FR cs4Label=geoCountry cs5=dev-1 cs5Label=deviceId cn2=42 cn2Label=chainSequence ' +
  `cs6=${'9f2c'.repeat(16)} cs6Label=chainHash`;
