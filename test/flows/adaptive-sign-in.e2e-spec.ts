import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import type { AuditRecord } from '@gatehouse/audit';
import { generateTotpSecret, totpCode, totpStep, TotpSecretSealer } from '@gatehouse/tokens';
import { readForm, recordingAuthorizationServer, TestBrowser, uniqueSlug, type RecordingAuthorizationServer } from '../support/index.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'https://client.example.test/callback';
const US = '8.8.8.8';
const AU = '1.1.1.1';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const GENERIC_REFUSAL = /role="alert">Incorrect username or password\.<\/p>/;

interface Tenant {
  readonly slug: string;
  readonly clientId: string;
}

interface Attempt {
  readonly browser: TestBrowser;
  readonly verifier: string;
  readonly status: number;
  readonly url: string;
  readonly html: string;
  readonly location: string | null;
}

/**
 * Risk-adaptive sign-in over real HTTP behind a trusted proxy (the client IP is the
 * X-Forwarded-For one, located with the shipped DB-IP database): a login from a new country
 * and device right after one elsewhere scores 50 and is stepped up; one that also follows a
 * burst of failures scores 90 and is refused; the tenant's MFA policy decides the rest.
 */
describe('adaptive sign-in: the login risk score decides step-up and block', () => {
  // The login's history is the audit store's: the worker's recorder keeps it, beside the server.
  const recording = recordingAuthorizationServer();
  let server: RecordingAuthorizationServer;
  let defaults: Tenant;
  let enrolling: Tenant;
  let required: Tenant;

  before(async () => {
    server = await recording.start({ TRUSTED_PROXIES: '127.0.0.1' });
    defaults = await createTenant({}, ['carol', 'dave', 'erin']);
    enrolling = await createTenant({ stepUpWithoutFactor: 'enrol' }, ['frank']);
    required = await createTenant({ secondFactor: 'required' }, ['gina']);
  });
  after(async () => {
    await server?.close();
  });

  /** Policies are set before the tenant serves a request, so no cache holds the defaults. */
  async function createTenant(mfaPolicy: Record<string, string>, usernames: readonly string[]): Promise<Tenant> {
    const slug = uniqueSlug('adaptive');
    await server.admin.tenants.create(slug, 'Adaptive Corp');
    const tenant = await server.admin.tenants.get(slug);
    await server.infrastructure.persistence.repositories.tenants.updateIfUnchanged(tenant.id, tenant.updatedAt, { mfaPolicy });
    for (const username of usernames) await server.admin.users.create({ tenant: slug, username, password: PASSWORD });
    const { client } = await server.admin.clients.create({
      tenant: slug,
      name: 'Console',
      public: true,
      firstParty: true,
      redirectUris: [REDIRECT_URI],
      scope: 'openid',
    });
    return { slug, clientId: client.clientId };
  }

  /** The password form, from `ip` in a browser of its own (a new device unless one is given). */
  async function attempt(tenant: Tenant, username: string, ip: string, password = PASSWORD, browser = new TestBrowser()): Promise<Attempt> {
    browser.headers['x-forwarded-for'] = ip;
    browser.headers['user-agent'] = CHROME;
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(`${server.origin}/t/${tenant.slug}/authorize`);
    url.searchParams.set('client_id', tenant.clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', REDIRECT_URI);
    url.searchParams.set('scope', 'openid');
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    const page = await browser.follow(await browser.get(url.toString()), server.origin);
    const form = readForm(await page.response.text(), page.url);
    const posted = await browser.postForm(form.action, { ...form.hidden, username, password });
    await recorded(tenant);
    const location = posted.headers.get('location');
    if (posted.status === 303 && location && !location.startsWith(REDIRECT_URI)) {
      const next = await browser.follow(posted, server.origin);
      return { browser, verifier, status: next.response.status, url: next.url, html: await next.response.text(), location: null };
    }
    return { browser, verifier, status: posted.status, url: page.url, html: await posted.text(), location };
  }

  /** The next login's history includes this one. */
  async function recorded(tenant: Tenant): Promise<void> {
    await server.untilRecorded((await server.admin.tenants.get(tenant.slug)).id);
  }

  async function enrolTotp(tenant: Tenant, username: string): Promise<string> {
    const user = await server.admin.users.get(tenant.slug, username);
    const secret = generateTotpSecret();
    const sealed = new TotpSecretSealer(server.config.keyEncryptionKey).seal(user.tenantId, user.id, secret);
    const factors = server.infrastructure.persistence.repositories.secondFactors;
    assert.ok(await factors.savePendingTotp(user.tenantId, user.id, sealed));
    // An earlier step than any code this suite submits, so none is taken for a replay.
    assert.ok(await factors.confirmTotp(user.tenantId, user.id, totpStep(new Date()) - 10, new Date()));
    return secret;
  }

  /** The user's login events as the worker recorded them, oldest first. */
  async function events(tenant: Tenant, username: string): Promise<AuditRecord[]> {
    await recorded(tenant);
    const user = await server.admin.users.get(tenant.slug, username);
    const records = await server.infrastructure.persistence.repositories.auditRecords.list(user.tenantId, { userId: user.id }, null, 1000);
    return records.reverse().filter((record) => record.type.startsWith('login.'));
  }

  const decisionOf = (event: AuditRecord | undefined) => event?.details?.['risk_decision'] as Record<string, unknown> | undefined;

  async function idToken(tenant: Tenant, location: string | null, verifier: string): Promise<Record<string, unknown>> {
    assert.ok(location?.startsWith(REDIRECT_URI), `landed at ${location}`);
    const response = await fetch(`${server.origin}/t/${tenant.slug}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: new URL(location ?? '').searchParams.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        client_id: tenant.clientId,
        code_verifier: verifier,
      }),
    });
    assert.equal(response.status, 200);
    return decodeJwt(((await response.json()) as { id_token: string }).id_token);
  }

  it('a low-risk login goes through and records the decision "allow"', async () => {
    const first = await attempt(defaults, 'dave', US);
    assert.equal(first.status, 303);
    assert.ok(first.location?.startsWith(REDIRECT_URI));
    const [succeeded] = await events(defaults, 'dave');
    assert.equal(succeeded?.type, 'login.succeeded');
    assert.deepEqual(decisionOf(succeeded), {
      action: 'allow',
      score: 0,
      step_up_score: 50,
      block_score: 90,
      rules: [],
      outcome: 'complete',
    });
  });

  it('a new country and device right after a login elsewhere (50): no factor, so refused with the generic message', async () => {
    const risky = await attempt(defaults, 'dave', AU);
    assert.equal(risky.status, 401);
    assert.match(risky.html, GENERIC_REFUSAL, 'the same message as a wrong password');
    assert.equal(risky.location, null);
    assert.ok(!risky.browser.cookieNames().some((name) => name.includes('session')), 'no session');
    const wrong = await attempt(defaults, 'dave', AU, 'not the password');
    assert.equal(wrong.status, risky.status);
    assert.equal(wrong.html.match(/role="alert">[^<]*/)?.[0], risky.html.match(/role="alert">[^<]*/)?.[0]);

    const refusal = (await events(defaults, 'dave')).find((event) => event.details?.['reason'] === 'step_up_without_factor');
    assert.equal(refusal?.type, 'login.failed');
    const decision = decisionOf(refusal);
    assert.equal(decision?.['action'], 'step_up');
    assert.equal(decision?.['score'], 50);
    assert.equal(decision?.['outcome'], 'refuse');
    assert.deepEqual([...((decision?.['rules'] as string[]) ?? [])].sort(), ['device.new', 'geo.impossible_travel', 'geo.new_country']);
    assert.equal((refusal?.details?.['login_risk'] as { score: number }).score, 50);
    assert.equal((await server.admin.users.get(defaults.slug, 'dave')).failedLoginCount, 1, 'only the wrong password counted');
  });

  it('the same step-up for a user with TOTP asks for the code, and the ID token says mfa', async () => {
    const secret = await enrolTotp(defaults, 'carol');
    const laptop = new TestBrowser();
    const home = await attempt(defaults, 'carol', US, PASSWORD, laptop);
    assert.match(home.html, /<label for="code">/, 'an enrolled user always gives the code');
    const codeForm = readForm(home.html, home.url);
    const done = await laptop.postForm(codeForm.action, { ...codeForm.hidden, code: totpCode(secret, new Date()) });
    assert.equal(done.status, 303);
    await recorded(defaults); // the home login is in the history the next one is scored against

    const risky = await attempt(defaults, 'carol', AU);
    assert.equal(risky.status, 200);
    assert.match(risky.html, /<label for="code">/, 'the second-factor page');
    const form = readForm(risky.html, risky.url);
    const wrongCode = totpCode(secret, new Date()) === '000000' ? '111111' : '000000';
    const refused = await risky.browser.postForm(form.action, { ...form.hidden, code: wrongCode });
    assert.equal(refused.status, 401, 'a wrong code is still refused');
    const retry = readForm(await refused.text(), risky.url);
    const accepted = await risky.browser.postForm(retry.action, { ...retry.hidden, code: totpCode(secret, new Date(Date.now() + 30_000)) });
    assert.equal(accepted.status, 303);
    const claims = await idToken(defaults, accepted.headers.get('location'), risky.verifier);
    assert.deepEqual(claims['amr'], ['pwd', 'otp', 'mfa']);
    assert.equal(claims['acr'], 'urn:gatehouse:acr:mfa');

    const succeeded = (await events(defaults, 'carol')).filter((event) => event.type === 'login.succeeded');
    const decision = decisionOf(succeeded.at(-1));
    assert.equal(decision?.['action'], 'step_up', 'the password step’s decision travels to the finishing step');
    assert.equal(decision?.['outcome'], 'second_factor');
    assert.deepEqual(decision?.['second_factor_because'], ['enrolled', 'risk']);
  });

  it('a burst of failures on top of it (90) is blocked: the right password is refused, with the generic message', async () => {
    const home = await attempt(defaults, 'erin', US);
    assert.equal(home.status, 303);
    const attacker = new TestBrowser();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt(defaults, 'erin', AU, 'guess', attacker)).status);
    // From the 3rd failure the progressive delay answers 429 unchecked (docs/adr/0003); those attempts still count for velocity.
    // The delay is 1 s from the 3rd failure: on a loaded machine (CI, 2 cores) the 4th or 5th guess can come after it and be
    // checked (one more failure). The delay itself is the progressive-delay suite's to test; here, velocity counts either way.
    assert.deepEqual(statuses.slice(0, 3), [401, 401, 401]);
    assert.ok(
      statuses.slice(3).every((status) => status === 429 || status === 401),
      String(statuses),
    );
    const failures = statuses.filter((status) => status === 401).length;
    const delayAfter = (count: number) => 1_000 * 2 ** (count - 3) + 100;
    await sleep(delayAfter(failures));
    const blocked = await attempt(defaults, 'erin', AU, PASSWORD, attacker);
    assert.equal(blocked.status, 401);
    assert.match(blocked.html, GENERIC_REFUSAL);
    assert.equal(blocked.location, null);
    const refusal = (await events(defaults, 'erin')).find((event) => event.details?.['reason'] === 'risk_blocked');
    assert.equal(refusal?.type, 'login.failed');
    assert.equal(decisionOf(refusal)?.['action'], 'block');
    assert.equal(decisionOf(refusal)?.['score'], 90);
    assert.ok((decisionOf(refusal)?.['rules'] as string[]).includes('velocity.user'));

    home.browser.dropCookies(/session/); // signed out at home; the device cookie stays
    await sleep(delayAfter(failures + 1)); // the refusal was one more failure for this username: the progressive delay doubled
    const fromHome = await attempt(defaults, 'erin', US, PASSWORD, home.browser);
    assert.equal(fromHome.status, 303, 'the known device at home still signs in');
  });

  it('with step_up_without_factor=enrol, the risky login enrols a factor first', async () => {
    assert.equal((await attempt(enrolling, 'frank', US)).status, 303);
    const risky = await attempt(enrolling, 'frank', AU);
    assert.equal(risky.status, 200);
    assert.match(risky.html, /<img class="qr" src="data:image\/svg\+xml;base64,/);
    assert.match(risky.url, /\/interaction\/[A-Za-z0-9_-]{43}$/);
  });

  it('with second_factor=required, even a low-risk first login enrols a factor', async () => {
    const first = await attempt(required, 'gina', US);
    assert.equal(first.status, 200);
    assert.match(first.html, /<img class="qr" src="data:image\/svg\+xml;base64,/);
    const [event] = await events(required, 'gina');
    assert.equal(event, undefined, 'no login event before the sign-in is complete');
  });
});
