import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { registrationOptions, relyingPartyFor, verifyRegistration } from '@gatehouse/tokens';
import { passkeyForm } from '../../apps/authorization/test/second-factor/passkey-pages.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { recordingAuthorizationServer, TestBrowser, uniqueSlug, type RecordingAuthorizationServer } from '../support/index.js';

const REDIRECT_URI = 'https://client.example.test/callback';

/**
 * A passkey alone is scored like a password (docs/adr/0010): with a block score of 20, the user's
 * first passwordless sign-in (no history) goes through, and one from a new device (20) is refused.
 * The history is the audit store's, kept by the worker's recorder.
 */
describe('passwordless sign-in and the risk policy', () => {
  const recording = recordingAuthorizationServer();
  let server: RecordingAuthorizationServer;
  let slug: string;
  let clientId: string;
  let tenantId: string;
  let authenticator: SoftAuthenticator;

  before(async () => {
    server = await recording.start();
    slug = uniqueSlug('pwless-risk');
    await server.admin.tenants.create(slug, 'Passwordless Corp');
    const tenant = await server.admin.tenants.get(slug);
    tenantId = tenant.id;
    // Before the tenant serves a request, so no cache holds the defaults.
    await server.infrastructure.persistence.repositories.tenants.updateIfUnchanged(tenant.id, tenant.updatedAt, {
      passkeyLogin: 'passwordless',
      riskPolicy: { stepUpScore: 10, blockScore: 20 },
    });
    const user = await server.admin.users.create({ tenant: slug, username: 'hana', password: 'correct horse battery staple' });
    const { client } = await server.admin.clients.create({
      tenant: slug,
      name: 'Console',
      public: true,
      firstParty: true,
      redirectUris: [REDIRECT_URI],
      scope: 'openid',
    });
    clientId = client.clientId;
    // hana's passkey, registered as the security page would.
    const rp = relyingPartyFor(server.origin, 'Passwordless Corp');
    authenticator = new SoftAuthenticator({ origin: rp.origin, rpId: rp.rpId });
    const options = await registrationOptions(rp, { userId: user.id, userName: 'hana', existing: [], residentKey: 'required' });
    const registered = await verifyRegistration(
      rp,
      authenticator.register(options as unknown as Record<string, unknown>),
      options.challenge,
    );
    assert.ok(registered.ok);
    await server.infrastructure.persistence.repositories.passkeys.insert(tenant.id, {
      ...registered.value,
      userId: user.id,
      name: 'Phone',
    });
  });
  after(async () => {
    await server?.close();
  });

  async function passwordless(browser: TestBrowser): Promise<Response> {
    const url = new URL(`${server.origin}/t/${slug}/authorize`);
    for (const [name, value] of Object.entries({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
      code_challenge_method: 'S256',
    }))
      url.searchParams.set(name, value);
    const page = await browser.follow(await browser.get(url.toString()), server.origin);
    const form = passkeyForm(await page.response.text(), page.url);
    const posted = await browser.postForm(form.action, {
      csrf: form.csrf,
      response: JSON.stringify(authenticator.authenticate(form.options)),
    });
    await recorded();
    return posted;
  }

  const recorded = () => server.untilRecorded(tenantId);

  it('the first sign-in goes through; one from a new device scores 20 and is refused', async () => {
    const first = await passwordless(new TestBrowser());
    assert.equal(first.status, 303);
    assert.ok(first.headers.get('location')?.startsWith(REDIRECT_URI));

    const blocked = await passwordless(new TestBrowser());
    assert.equal(blocked.status, 401);
    assert.match(await blocked.text(), /That passkey could not be verified/);
    await recorded();
    const [refused] = await server.infrastructure.persistence.repositories.auditRecords.list(tenantId, { type: 'login.failed' }, null, 1);
    const refusal = refused?.details ?? {};
    assert.equal(refusal['reason'], 'risk_blocked');
    assert.equal((refusal['risk_decision'] as Record<string, unknown> | undefined)?.['action'], 'block');
  });
});
