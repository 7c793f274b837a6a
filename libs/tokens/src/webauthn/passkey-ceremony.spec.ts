import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SoftAuthenticator } from '../../../../test/support/soft-authenticator.js';
import { challengeOf, parseCredentialResponse } from './client-data.js';
import {
  authenticationOptions,
  registrationOptions,
  userHandleOf,
  verifyAuthentication,
  verifyRegistration,
  type RegisteredCredential,
} from './passkey-ceremony.js';
import { passkeyMethod, relyingPartyFor } from './relying-party.js';

const rp = relyingPartyFor('https://login.example.test/base', 'Acme');
const USER = { userId: '5b0f3c52-3f0e-4d1a-9a43-5f6a2b1c0d9e', userName: 'alice', existing: [], residentKey: 'preferred' } as const;

async function registered(authenticator: SoftAuthenticator): Promise<RegisteredCredential> {
  const options = await registrationOptions(rp, USER);
  const result = await verifyRegistration(rp, authenticator.register(options as unknown as Record<string, unknown>), options.challenge);
  assert.ok(result.ok, JSON.stringify(result));
  return result.value;
}

async function assertion(authenticator: SoftAuthenticator, credential: RegisteredCredential, tamper = {}, requireUv = false) {
  const options = await authenticationOptions(rp, [credential], 'preferred');
  const response = authenticator.authenticate(options as unknown as Record<string, unknown>, tamper);
  return verifyAuthentication(rp, response, options.challenge, credential, requireUv);
}

/** The WebAuthn wrappers: origin, RP ID, challenge and counter checked; never a throw on bad input. */
describe('passkey ceremonies', () => {
  const device = () => new SoftAuthenticator({ origin: 'https://login.example.test', rpId: 'login.example.test' });

  it('the relying party is the origin of PUBLIC_URL and its host name', () => {
    assert.deepEqual(rp, { origin: 'https://login.example.test', rpId: 'login.example.test', name: 'Acme' });
  });

  it('registers a key and verifies its assertions; device-bound is hwk, synced is swk (RFC 8176)', async () => {
    const authenticator = device();
    const credential = await registered(authenticator);
    assert.equal(credential.deviceType, 'singleDevice');
    assert.equal(passkeyMethod(credential.deviceType), 'hwk');
    const first = await assertion(authenticator, credential);
    assert.ok(first.ok && first.value.newCounter === 1 && first.value.userVerified);
    const synced = new SoftAuthenticator({ origin: rp.origin, rpId: rp.rpId, backupEligible: true });
    const syncedCredential = await registered(synced);
    assert.equal(passkeyMethod(syncedCredential.deviceType), 'swk');
    assert.equal(syncedCredential.backedUp, true);
  });

  it('the creation options carry the user id as user handle and exclude existing keys', async () => {
    const authenticator = device();
    const credential = await registered(authenticator);
    const options = await registrationOptions(rp, { ...USER, existing: [credential], residentKey: 'required' });
    assert.equal(Buffer.from(options.user.id, 'base64url').toString('utf8'), USER.userId);
    assert.deepEqual(
      options.excludeCredentials?.map((entry) => entry.id),
      [credential.credentialId],
    );
    assert.equal(options.authenticatorSelection?.residentKey, 'required');
    assert.equal(options.attestation, 'none');
    const response = authenticator.authenticate((await authenticationOptions(rp, [], 'required')) as unknown as Record<string, unknown>);
    assert.equal(userHandleOf(response), USER.userId);
  });

  it('refuses a registration from another origin, for another RP ID or for another challenge', async () => {
    const authenticator = device();
    const options = await registrationOptions(rp, USER);
    const json = options as unknown as Record<string, unknown>;
    const cases = [
      [{ origin: 'https://evil.example.test' }, 'wrong_origin'],
      [{ rpId: 'evil.example.test' }, 'wrong_rp_id'],
      [{ challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 'wrong_challenge'],
    ] as const;
    for (const [tamper, reason] of cases) {
      const result = await verifyRegistration(rp, authenticator.register(json, tamper), options.challenge);
      assert.deepEqual(result, { ok: false, reason });
    }
  });

  it('refuses an assertion from another origin, for another RP ID, or whose counter went back (a cloned key)', async () => {
    const authenticator = device();
    const credential = await registered(authenticator);
    assert.deepEqual(await assertion(authenticator, credential, { origin: 'https://login.example.test:8443' }), {
      ok: false,
      reason: 'wrong_origin',
    });
    assert.deepEqual(await assertion(authenticator, credential, { rpId: 'example.test' }), { ok: false, reason: 'wrong_rp_id' });
    const stored = { ...credential, counter: 7 };
    const options = await authenticationOptions(rp, [stored], 'preferred');
    const json = options as unknown as Record<string, unknown>;
    for (const counter of [7, 3]) {
      const result = await verifyAuthentication(rp, authenticator.authenticate(json, { counter }), options.challenge, stored, false);
      assert.deepEqual(result, { ok: false, reason: 'counter_not_increased' });
    }
    // An authenticator without a counter reports 0 every time (W3C WebAuthn §6.1.1): accepted.
    const zero = await assertion(authenticator, credential, { counter: 0 });
    assert.ok(zero.ok);
  });

  it('a signature by another key is refused', async () => {
    const authenticator = device();
    const credential = await registered(authenticator);
    const other = await registered(device());
    const options = await authenticationOptions(rp, [credential], 'preferred');
    const response = authenticator.authenticate(options as unknown as Record<string, unknown>);
    assert.deepEqual(await verifyAuthentication(rp, response, options.challenge, { ...credential, publicKey: other.publicKey }, false), {
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('passwordless needs user verification', async () => {
    const authenticator = new SoftAuthenticator({ origin: rp.origin, rpId: rp.rpId, userVerification: false });
    const credential = await registered(authenticator);
    assert.equal(credential.userVerified, false);
    assert.ok((await assertion(authenticator, credential, {}, false)).ok);
    assert.deepEqual(await assertion(authenticator, credential, {}, true), { ok: false, reason: 'user_not_verified' });
  });

  it('malformed posts are refused, never thrown', async () => {
    const credential = await registered(device());
    for (const posted of [undefined, '', 'null', '[]', '{"id":1}', '{"id":"a b","response":{}}', 'x'.repeat(20_000), '{"id":"abc"}']) {
      assert.equal(parseCredentialResponse(posted), null, String(posted).slice(0, 40));
    }
    const junk = { id: 'abc', response: { clientDataJSON: 'e30', authenticatorData: '!!', signature: 5 } };
    assert.equal(challengeOf(junk), null);
    assert.equal(challengeOf({ response: { clientDataJSON: Buffer.from('{"challenge":"short"}').toString('base64url') } }), null);
    assert.deepEqual(await verifyAuthentication(rp, junk, 'AAAAAAAAAAAAAAAAAAAAAA', credential, false), { ok: false, reason: 'malformed' });
    assert.equal((await verifyRegistration(rp, junk, 'AAAAAAAAAAAAAAAAAAAAAA')).ok, false);
    assert.equal(userHandleOf(junk), null);
  });
});
