import { authenticator } from 'otplib';

/** RFC 6238 §4 / §5.2: 30-second steps, SHA-1, 6 digits (what authenticator apps assume), ±1 step of clock drift. */
const STEP_SECONDS = 30;
const DIGITS = 6;
const WINDOW = 1;

const base = authenticator.clone({ step: STEP_SECONDS, digits: DIGITS, window: WINDOW });

/** A new shared secret: 160 random bits (RFC 4226 §4 recommends 160), base32 as apps expect. */
export function generateTotpSecret(): string {
  return base.generateSecret(20);
}

/** The RFC 6238 time step T of an instant. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / STEP_SECONDS);
}

/** The code for an instant (tests, and nothing else, need this). */
export function totpCode(secret: string, at: Date): string {
  return base.clone({ epoch: at.getTime() }).generate(secret);
}

/**
 * The time step a code belongs to, when it is right within ±1 step of `at` and later than
 * `lastUsedStep`; else null. The caller then records the step with a conditional UPDATE
 * (RFC 6238 §5.2: a verifier must not accept the same code twice).
 */
export function matchTotp(secret: string, code: string, at: Date, lastUsedStep: number | null): number | null {
  const candidate = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(candidate)) return null;
  const delta = base.clone({ epoch: at.getTime() }).checkDelta(candidate, secret);
  if (delta === null) return null;
  const step = totpStep(at) + delta;
  return lastUsedStep !== null && step <= lastUsedStep ? null : step;
}

/** The otpauth:// URI an authenticator app reads from the QR code (Key Uri Format). */
export function totpUri(secret: string, accountName: string, issuer: string): string {
  return base.keyuri(accountName, issuer, secret);
}
