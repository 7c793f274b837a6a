import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { RelyingParty } from './relying-party.js';

const TIMEOUT_MS = 5 * 60 * 1000;
// ES256, EdDSA, RS256: what platform authenticators and security keys create.
const ALGORITHMS = [-7, -8, -257];
const TRANSPORTS: readonly string[] = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'];

/** A passkey as stored: what verifying its next assertion needs. */
export interface StoredCredential {
  readonly credentialId: string;
  /** base64url COSE key. */
  readonly publicKey: string;
  readonly counter: number;
  readonly transports: readonly string[];
}

export interface RegisteredCredential extends StoredCredential {
  readonly deviceType: 'singleDevice' | 'multiDevice';
  readonly backedUp: boolean;
  readonly userVerified: boolean;
}

export type CeremonyResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export interface RegistrationRequest {
  /** The user's id: the WebAuthn user handle, so a discoverable credential names its account. */
  readonly userId: string;
  readonly userName: string;
  readonly existing: readonly StoredCredential[];
  /** `required` where the tenant allows passwordless sign-in: usernameless sign-in needs a discoverable credential. */
  readonly residentKey: 'required' | 'preferred';
}

/** W3C WebAuthn §5.4: creation options; the caller stores `challenge` before sending them. */
export function registrationOptions(rp: RelyingParty, request: RegistrationRequest): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.rpId,
    userName: request.userName,
    userID: new TextEncoder().encode(request.userId),
    timeout: TIMEOUT_MS,
    // No attestation: the key proves possession; which make it is does not change what we accept.
    attestationType: 'none',
    excludeCredentials: request.existing.map((credential) => ({ id: credential.credentialId, transports: transportsOf(credential) })),
    authenticatorSelection: { residentKey: request.residentKey, userVerification: 'preferred' },
    supportedAlgorithmIDs: ALGORITHMS,
  });
}

/** W3C WebAuthn §5.5: request options; no allowed credentials means any discoverable one (usernameless). */
export function authenticationOptions(
  rp: RelyingParty,
  allowed: readonly StoredCredential[],
  userVerification: 'required' | 'preferred',
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.rpId,
    timeout: TIMEOUT_MS,
    userVerification,
    allowCredentials: allowed.map((credential) => ({ id: credential.credentialId, transports: transportsOf(credential) })),
  });
}

/**
 * W3C WebAuthn §7.1: origin, RP ID hash, challenge, type, user presence and the signature over the
 * attestation. Never throws: a malformed or refused response is `{ ok: false }` with the reason for logs.
 */
export async function verifyRegistration(
  rp: RelyingParty,
  response: Record<string, unknown>,
  expectedChallenge: string,
): Promise<CeremonyResult<RegisteredCredential>> {
  try {
    const result = await verifyRegistrationResponse({
      response: response as unknown as RegistrationResponseJSON,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserVerification: false,
      supportedAlgorithmIDs: ALGORITHMS,
    });
    if (!result.verified) return { ok: false, reason: 'not_verified' };
    const info = result.registrationInfo;
    return {
      ok: true,
      value: {
        credentialId: info.credential.id,
        publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
        counter: info.credential.counter,
        transports: (info.credential.transports ?? []).filter((transport) => TRANSPORTS.includes(transport)),
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        userVerified: info.userVerified,
      },
    };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
}

export interface VerifiedAssertion {
  readonly newCounter: number;
  readonly userVerified: boolean;
  readonly deviceType: 'singleDevice' | 'multiDevice';
  readonly backedUp: boolean;
}

/**
 * W3C WebAuthn §7.2: origin, RP ID hash, challenge, the signature with the stored key, and the
 * signature counter (§6.1.1: a non-zero counter that does not grow means a cloned authenticator).
 */
export async function verifyAuthentication(
  rp: RelyingParty,
  response: Record<string, unknown>,
  expectedChallenge: string,
  credential: StoredCredential,
  requireUserVerification: boolean,
): Promise<CeremonyResult<VerifiedAssertion>> {
  try {
    const result = await verifyAuthenticationResponse({
      response: response as unknown as AuthenticationResponseJSON,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      credential: {
        id: credential.credentialId,
        publicKey: new Uint8Array(Buffer.from(credential.publicKey, 'base64url')),
        counter: credential.counter,
        transports: transportsOf(credential),
      },
      requireUserVerification,
    });
    if (!result.verified) return { ok: false, reason: 'bad_signature' };
    const info = result.authenticationInfo;
    return {
      ok: true,
      value: {
        newCounter: info.newCounter,
        userVerified: info.userVerified,
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
      },
    };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
}

/** The user handle of a discoverable credential's assertion (base64url of our user id), or null. */
export function userHandleOf(response: Record<string, unknown>): string | null {
  const inner = response['response'];
  const handle = typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>)['userHandle'] : undefined;
  if (typeof handle !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(handle)) return null;
  return Buffer.from(handle, 'base64url').toString('utf8');
}

function transportsOf(credential: StoredCredential): AuthenticatorTransportFuture[] {
  return credential.transports.filter((transport) => TRANSPORTS.includes(transport)) as AuthenticatorTransportFuture[];
}

// Anchored on the library's fixed wording, before any quoted value: W3C WebAuthn §7.1/§7.2 checks.
const REASONS: readonly (readonly [RegExp, string])[] = [
  [/^Unexpected (registration|authentication) response origin /, 'wrong_origin'],
  [/^Unexpected RP ID hash/, 'wrong_rp_id'],
  [/^(Unexpected (registration|authentication) response challenge |Custom challenge verifier)/, 'wrong_challenge'],
  [/^Response counter value /, 'counter_not_increased'],
  [/^User verification (was )?required/, 'user_not_verified'],
  [/^User (presence was required|not present)/, 'user_not_present'],
  [/^Unexpected (registration|authentication) response type/, 'wrong_type'],
];

/** A fixed reason for the audit trail: the library's message names the failed check but may quote posted data. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  return REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? 'malformed';
}
