import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { Clock } from '@gatehouse/protocol';
import { Inject, Injectable } from '@nestjs/common';
import type { GatehouseConfig } from '@gatehouse/config';
import { Persistence, type Passkey, type Tenant } from '@gatehouse/persistence';
import {
  authenticationOptions,
  challengeOf,
  hashOpaqueSecret,
  parseCredentialResponse,
  registrationOptions,
  relyingPartyFor,
  userHandleOf,
  verifyAuthentication,
  verifyRegistration,
  type RegisteredCredential,
  type RelyingParty,
  type VerifiedAssertion,
} from '@gatehouse/tokens';

// As long as the sign-in itself (authorization-flow.ts): a person may read the page a while before using the key.
const CHALLENGE_LIFETIME_MS = 10 * 60 * 1000;

/** What a ceremony belongs to: one sign-in (interaction) or one session (the security page). */
export type CeremonyBinding = `interaction:${string}` | `session:${string}`;

export type Refusal = { readonly ok: false; readonly reason: string; readonly userId?: string | undefined };
export type Registration = { readonly ok: true; readonly credential: RegisteredCredential } | Refusal;
export type Assertion = { readonly ok: true; readonly passkey: Passkey; readonly assertion: VerifiedAssertion } | Refusal;

/**
 * Passkey ceremonies of this deployment: options with a challenge stored server-side (by digest,
 * bound to the sign-in or session, single use), and the posted responses verified against this
 * origin and RP ID (PUBLIC_URL, docs/adr/0010). The challenge is consumed before anything else
 * is checked, so a refused response cannot be retried with it.
 */
@Injectable()
export class PasskeyCeremonies {
  constructor(
    @Inject(GATEHOUSE_CONFIG) private readonly config: GatehouseConfig,
    private readonly persistence: Persistence,
    private readonly clock: Clock,
  ) {}

  relyingParty(tenant: Tenant): RelyingParty {
    return relyingPartyFor(this.config.publicUrl, tenant.branding.pageTitle ?? tenant.name);
  }

  /** Creation options (JSON) for a new passkey of this user; its challenge stored for `binding`. */
  async registrationOptions(tenant: Tenant, user: { id: string; username: string }, binding: CeremonyBinding): Promise<string> {
    const existing = await this.persistence.repositories.passkeys.listForUser(tenant.id, user.id);
    const options = await registrationOptions(this.relyingParty(tenant), {
      userId: user.id,
      userName: user.username,
      existing,
      residentKey: tenant.passkeyLogin === 'passwordless' ? 'required' : 'preferred',
    });
    await this.saveChallenge(tenant, options.challenge, 'register', binding, user.id);
    return JSON.stringify(options);
  }

  /**
   * Request options (JSON): for this user's passkeys (second factor; null when there are none), or,
   * with no user, for any discoverable passkey with user verification (passwordless).
   */
  async authenticationOptions(tenant: Tenant, userId: string | null, binding: CeremonyBinding): Promise<string | null> {
    const allowed = userId ? await this.persistence.repositories.passkeys.listForUser(tenant.id, userId) : [];
    if (userId && allowed.length === 0) return null;
    const options = await authenticationOptions(this.relyingParty(tenant), allowed, userId ? 'preferred' : 'required');
    await this.saveChallenge(tenant, options.challenge, 'authenticate', binding, userId);
    return JSON.stringify(options);
  }

  async register(tenant: Tenant, binding: CeremonyBinding, posted: string | undefined): Promise<Registration> {
    const response = parseCredentialResponse(posted);
    const challenge = response ? challengeOf(response) : null;
    if (!response || !challenge) return { ok: false, reason: 'malformed' };
    if (!(await this.consume(tenant, challenge, 'register', binding))) return { ok: false, reason: 'unknown_challenge' };
    const verified = await verifyRegistration(this.relyingParty(tenant), response, challenge);
    return verified.ok ? { ok: true, credential: verified.value } : verified;
  }

  /**
   * An assertion by one of `userId`'s passkeys, or (userId null: passwordless) by any passkey of the
   * tenant whose user handle names its owner, with user verification. The counter is checked here and
   * again by the conditional UPDATE that records the use (`recordUse`).
   */
  async authenticate(tenant: Tenant, binding: CeremonyBinding, posted: string | undefined, userId: string | null): Promise<Assertion> {
    const response = parseCredentialResponse(posted);
    const challenge = response ? challengeOf(response) : null;
    if (!response || !challenge) return { ok: false, reason: 'malformed' };
    if (!(await this.consume(tenant, challenge, 'authenticate', binding))) return { ok: false, reason: 'unknown_challenge' };
    const passkey = await this.persistence.repositories.passkeys.findByCredentialId(tenant.id, response['id'] as string);
    if (!passkey || (userId !== null && passkey.userId !== userId)) return { ok: false, reason: 'unknown_credential' };
    // W3C WebAuthn §7.2 step 6: a discoverable credential's user handle must be its owner's.
    if (userId === null && userHandleOf(response) !== passkey.userId) return { ok: false, reason: 'wrong_user_handle' };
    const verified = await verifyAuthentication(this.relyingParty(tenant), response, challenge, passkey, userId === null);
    return verified.ok ? { ok: true, passkey, assertion: verified.value } : { ok: false, reason: verified.reason, userId: passkey.userId };
  }

  private async saveChallenge(
    tenant: Tenant,
    challenge: string,
    purpose: 'register' | 'authenticate',
    binding: CeremonyBinding,
    userId: string | null,
  ): Promise<void> {
    await this.persistence.repositories.passkeys.saveChallenge(
      tenant.id,
      {
        challengeHash: hashOpaqueSecret(challenge),
        purpose,
        binding,
        userId,
        expiresAt: new Date(this.clock.now().getTime() + CHALLENGE_LIFETIME_MS),
      },
      this.clock.now(),
    );
  }

  private consume(tenant: Tenant, challenge: string, purpose: 'register' | 'authenticate', binding: CeremonyBinding): Promise<boolean> {
    return this.persistence.repositories.passkeys.consumeChallenge(
      tenant.id,
      { challengeHash: hashOpaqueSecret(challenge), purpose, binding },
      this.clock.now(),
    );
  }
}
