import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { generateRecoveryCodes, normalizeRecoveryCode, RecoveryCodeHasher } from './recovery-codes.js';
import { generateTotpSecret, matchTotp, totpCode, totpStep, totpUri } from './totp.js';
import { TotpSecretSealer } from './totp-secret-sealer.js';

// RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890" in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 Appendix B SHA-1 vectors (last six digits)', () => {
    assert.equal(totpCode(RFC_SECRET, new Date(59_000)), '287082');
    assert.equal(totpCode(RFC_SECRET, new Date(1111111109_000)), '081804');
    assert.equal(totpCode(RFC_SECRET, new Date(2000000000_000)), '279037');
  });

  it('accepts the current step and one step either side, nothing further', () => {
    const now = new Date(1_800_000_015_000);
    const step = totpStep(now);
    const at = (offset: number) => new Date(now.getTime() + offset * 30_000);
    assert.equal(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now), now, null), step);
    assert.equal(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, at(-1)), now, null), step - 1);
    assert.equal(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, at(1)), now, null), step + 1);
    assert.equal(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, at(-2)), now, null), null);
    assert.equal(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, at(2)), now, null), null);
  });

  it('refuses a step at or before the last one used (replay), accepts a later one', () => {
    const now = new Date(1_800_000_015_000);
    const step = totpStep(now);
    const code = totpCode(RFC_SECRET, now);
    assert.equal(matchTotp(RFC_SECRET, code, now, step), null);
    assert.equal(matchTotp(RFC_SECRET, code, now, step + 1), null);
    assert.equal(matchTotp(RFC_SECRET, code, now, step - 1), step);
    // An older code within the window after a newer one was used: refused too.
    assert.equal(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, new Date(now.getTime() - 30_000)), now, step), null);
  });

  it('refuses malformed codes and tolerates spaces', () => {
    const now = new Date();
    const code = totpCode(RFC_SECRET, now);
    assert.equal(matchTotp(RFC_SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, now, null), totpStep(now));
    for (const bad of ['', '12345', '1234567', 'abcdef', `${code}0`]) assert.equal(matchTotp(RFC_SECRET, bad, now, null), null);
  });

  it('generates 160-bit base32 secrets and an otpauth URI', () => {
    const secret = generateTotpSecret();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, 'alice', 'Acme'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.searchParams.get('secret'), secret);
    assert.equal(uri.searchParams.get('issuer'), 'Acme');
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes, hashed per tenant and user, forgiving case and dashes', () => {
    const codes = generateRecoveryCodes();
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    const hasher = new RecoveryCodeHasher(randomBytes(32));
    const code = codes[0] ?? '';
    assert.equal(hasher.hash('t', 'u', code), hasher.hash('t', 'u', ` ${code.toLowerCase().replace('-', '')} `));
    assert.notEqual(hasher.hash('t', 'u', code), hasher.hash('t', 'other', code));
    assert.notEqual(hasher.hash('t', 'u', code), new RecoveryCodeHasher(randomBytes(32)).hash('t', 'u', code));
    assert.equal(normalizeRecoveryCode('ab-cd e'), 'ABCDE');
  });
});

describe('TOTP secret sealing', () => {
  it('round-trips only for the same tenant and user', () => {
    const sealer = new TotpSecretSealer(randomBytes(32));
    const sealed = sealer.seal('t1', 'u1', RFC_SECRET);
    assert.ok(!sealed.includes(RFC_SECRET));
    assert.equal(sealer.open('t1', 'u1', sealed), RFC_SECRET);
    assert.throws(() => sealer.open('t1', 'u2', sealed));
    assert.throws(() => sealer.open('t2', 'u1', sealed));
  });
});
