import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuditRecord } from '@gatehouse/audit';
import { authorizeUrl, createCodeFlowFixture, signIn, type CodeFlowFixture } from '../../apps/authorization/test/flow/code-flow.fixture.js';
import { TestBrowser, recordingAuthorizationServer, type RunningAuthorizationServer } from '../support/index.js';

const US = '8.8.8.8';
const AU = '1.1.1.1';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/**
 * The full path: real logins on the login page (behind a trusted proxy, so the
 * client IP is the X-Forwarded-For one), the outbox, the worker's recorder with the
 * shipped DB-IP database, and the stored record's score and reasons.
 */
describe('audit risk: a login from a new device in a new country right after one elsewhere', () => {
  const recording = recordingAuthorizationServer();
  let server: RunningAuthorizationServer;
  let fixture: CodeFlowFixture;

  before(async () => {
    server = await recording.start({ TRUSTED_PROXIES: '127.0.0.1' });
    fixture = await createCodeFlowFixture(server);
    // This suite is about the score; what the sign-in decides on it has its own (adaptive-sign-in.e2e-spec.ts).
    await server.admin.tenants.update(fixture.tenant, await server.admin.tenants.get(fixture.tenant), {
      riskPolicy: { stepUpScore: 101, blockScore: 101 },
    });
  });
  after(async () => {
    await server?.close();
  });

  async function loginFrom(browser: TestBrowser, ip: string): Promise<void> {
    browser.headers['x-forwarded-for'] = ip;
    browser.headers['user-agent'] =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
    const { landedAt } = await signIn(
      browser,
      server.origin,
      authorizeUrl(fixture, { clientId: fixture.web.client.client_id, state: 's', codeChallenge: CHALLENGE }),
    );
    assert.match(landedAt, /^https:\/\/client\.example\.test\/callback\?code=/);
  }

  async function loginRecords(count: number): Promise<AuditRecord[]> {
    const tenant = await server.admin.tenants.get(fixture.tenant);
    for (let waited = 0; waited < 10_000; waited += 50) {
      const records = await server.infrastructure.persistence.repositories.auditRecords.list(
        tenant.id,
        { type: 'login.succeeded' },
        null,
        10,
      );
      if (records.length >= count) return records.reverse();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`fewer than ${count} login records were recorded`);
  }

  it('scores geo (+30, once) and device (+20): 50, with reasons naming both', async () => {
    const laptop = new TestBrowser();
    await loginFrom(laptop, US);
    const [first] = await loginRecords(1);
    assert.deepEqual(first?.geo.kind === 'located' && first.geo.country, 'US');
    assert.equal(first?.risk.score, 0, 'a first login has no history to differ from');
    assert.ok(first?.device?.id, 'the login set a device cookie and the record names the device');
    assert.equal(first?.device?.browser, 'Chrome 124');

    const stranger = new TestBrowser();
    await loginFrom(stranger, AU);
    const [, second] = await loginRecords(2);
    assert.ok(second);
    assert.deepEqual(second.geo.kind === 'located' && second.geo.country, 'AU');
    assert.equal(second.risk.score, 50);
    const rules = second.risk.reasons.map((reason) => reason.rule);
    assert.ok(rules.includes('geo.new_country'), `reasons: ${rules.join(', ')}`);
    assert.ok(rules.includes('geo.impossible_travel'), 'Sydney seconds after California is impossible travel');
    assert.ok(rules.includes('device.new'));
    const geoPoints = second.risk.reasons
      .filter((reason) => reason.rule.startsWith('geo.'))
      .reduce((sum, reason) => sum + reason.points, 0);
    assert.equal(geoPoints, 30, 'the geographic anomaly counts once');
    assert.notEqual(second.device?.id, first?.device?.id);
  });

  it('the login page evaluated the same rules synchronously and put them on the event', async () => {
    // The event carries the login page's assessment into its record (the outbox row left when it was recorded).
    const logins = await loginRecords(2);
    const loginRisk = logins.map((record) => (record.details?.['login_risk'] as { score: number } | undefined)?.score);
    assert.deepEqual(loginRisk, [0, 50]);
  });

  it('the same browser coming back from the first country is a known device: no device reason', async () => {
    const laptop = new TestBrowser();
    await loginFrom(laptop, US);
    await loginRecords(3); // recorded before the next login, whose device check reads the stored history
    laptop.dropCookies(/session/); // signed out: the next visit shows the login page again, the device cookie stays
    await loginFrom(laptop, US);
    const records = await loginRecords(4);
    const last = records[3]!;
    assert.ok(!last.risk.reasons.some((reason) => reason.rule === 'device.new'), JSON.stringify(last.risk.reasons));
    assert.ok(!last.risk.reasons.some((reason) => reason.rule === 'geo.new_country'));
  });

  it('a forged device cookie is not a known device', async () => {
    const forger = new TestBrowser();
    forger.setCookie('gh_device', 'AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await loginFrom(forger, US);
    const records = await loginRecords(5);
    assert.ok(records[4]!.risk.reasons.some((reason) => reason.rule === 'device.new'));
    assert.notEqual(records[4]!.device?.id, 'AAAAAAAAAAAAAAAAAAAAAA');
  });
});
