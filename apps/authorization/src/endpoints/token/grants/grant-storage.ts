import type { AuditEvent } from '@gatehouse/audit';
import type {
  CodeRedemption,
  DeviceAuthorizationRepository,
  Persistence,
  PresentedCode,
  RefreshTokenRedemption,
  RefreshTokenRepository,
  Rotation,
  RotationOutcome,
  User,
} from '@gatehouse/persistence';
import type { TenantId } from '@gatehouse/protocol';

/** Where a redemption starts a refresh-token family, inside its transaction. */
export type FamilyStorage = Pick<RefreshTokenRepository, 'createFamily' | 'insertToken'>;

/** What one device-code redemption reads and writes, in one transaction. */
export interface DeviceRedemptionStorage {
  readonly deviceAuthorizations: Pick<DeviceAuthorizationRepository, 'poll'>;
  readonly families: FamilyStorage;
  user(tenantId: TenantId, userId: string): Promise<User | null>;
  audit(tenantId: TenantId, events: readonly AuditEvent[]): Promise<void>;
}

/** What the tokens of a replayed code become (RFC 6749 §4.1.2). */
export interface ReplayedCode {
  readonly issuedJtis: readonly string[];
  readonly grantId: string | null;
}

/** The authorization_code grant's storage (RFC 6749 §4.1.3): nothing else of the database. */
export abstract class AuthorizationCodeStorage {
  /** The code by its hash, consumed or not, with its user now; null when this tenant has none. */
  abstract presented(tenantId: TenantId, codeHash: string): Promise<PresentedCode | null>;
  /** Spends a code that failed a check, so it cannot be retried: 'replayed' when it was consumed already. */
  abstract spend(tenantId: TenantId, codeHash: string, now: Date): Promise<'spent' | 'replayed' | 'unknown'>;
  /** Consumes the code and stores what it issued, in one statement; false, storing nothing, when it was consumed meanwhile. */
  abstract redeem(redemption: CodeRedemption): Promise<boolean>;
  /**
   * Marks a replayed code, revokes the access tokens it issued (kept as revoked until `revokedUntil`) and
   * its refresh-token family, and writes the event that describes it, in one transaction. Answers what was revoked.
   */
  abstract revokeReplayed(
    tenantId: TenantId,
    codeId: string,
    now: Date,
    revokedUntil: Date,
    event: (revoked: ReplayedCode) => AuditEvent,
  ): Promise<ReplayedCode>;
}

/** The device_code grant's storage (RFC 8628 §3.4). */
export abstract class DeviceCodeStorage {
  abstract redeem<T>(work: (tx: DeviceRedemptionStorage) => Promise<T>): Promise<T>;
}

/** The refresh_token grant's storage (OAuth 2.1 §4.3, RFC 9700 §4.14.2). */
export abstract class RefreshTokenStorage {
  /** The presented token (by hash) with its family and the family's user now; null when this tenant has none. */
  abstract redeemable(tenantId: TenantId, tokenHash: string): Promise<RefreshTokenRedemption | null>;
  /** Spends the token, stores its successor and writes the events; anything but `rotated` wrote nothing. */
  abstract rotate(rotation: Rotation): Promise<RotationOutcome>;
  /**
   * A non-rotating refresh: the token's idle expiry moves to `expiresAt`, with the events, in one
   * transaction; false, writing nothing, when the family was revoked after the token was read.
   */
  abstract extend(tenantId: TenantId, tokenId: string, expiresAt: Date, events: readonly AuditEvent[]): Promise<boolean>;
  /** Revokes the family and writes the events, in one transaction. */
  abstract revokeFamily(tenantId: TenantId, familyId: string, reason: string, now: Date, events: readonly AuditEvent[]): Promise<void>;
  /** Whether the SSO session still stands at `now`. */
  abstract sessionActive(tenantId: TenantId, sessionId: string, now: Date): Promise<boolean>;
}

/** The authorization_code grant's storage on the platform's persistence: reads and redemptions batched (BatchedCodes). */
export class PersistentCodeStorage implements AuthorizationCodeStorage {
  constructor(private readonly persistence: Persistence) {}

  presented(tenantId: TenantId, codeHash: string): Promise<PresentedCode | null> {
    return this.persistence.codes.presented(tenantId, codeHash);
  }

  async spend(tenantId: TenantId, codeHash: string, now: Date): Promise<'spent' | 'replayed' | 'unknown'> {
    const { outcome } = await this.persistence.repositories.codes.consume(tenantId, codeHash, now);
    return outcome === 'consumed' ? 'spent' : outcome;
  }

  redeem(redemption: CodeRedemption): Promise<boolean> {
    return this.persistence.codes.redeem(redemption);
  }

  revokeReplayed(
    tenantId: TenantId,
    codeId: string,
    now: Date,
    revokedUntil: Date,
    event: (revoked: ReplayedCode) => AuditEvent,
  ): Promise<ReplayedCode> {
    return this.persistence.transaction(async (repos) => {
      const issued = await repos.codes.markReplayed(tenantId, codeId, now);
      await repos.revokedTokens.revoke(tenantId, issued.issuedJtis, revokedUntil);
      if (issued.grantId) await repos.refreshTokens.revokeFamily(tenantId, issued.grantId, 'code_replayed', now);
      await repos.auditOutbox.append(tenantId, [event(issued)]);
      return issued;
    });
  }
}

/** The device_code grant's storage on the platform's persistence. */
export class PersistentDeviceCodeStorage implements DeviceCodeStorage {
  constructor(private readonly persistence: Persistence) {}

  redeem<T>(work: (tx: DeviceRedemptionStorage) => Promise<T>): Promise<T> {
    return this.persistence.transaction((repos) =>
      work({
        deviceAuthorizations: repos.deviceAuthorizations,
        families: repos.refreshTokens,
        user: (tenantId, userId) => repos.users.findById(tenantId, userId),
        audit: (tenantId, events) => repos.auditOutbox.append(tenantId, events),
      }),
    );
  }
}

/** The refresh_token grant's storage on the platform's persistence: lookups and rotations batched (BatchedRefreshTokens). */
export class PersistentRefreshTokenStorage implements RefreshTokenStorage {
  constructor(private readonly persistence: Persistence) {}

  redeemable(tenantId: TenantId, tokenHash: string): Promise<RefreshTokenRedemption | null> {
    return this.persistence.refreshTokens.redeemable(tenantId, tokenHash);
  }

  rotate(rotation: Rotation): Promise<RotationOutcome> {
    return this.persistence.refreshTokens.rotate(rotation);
  }

  extend(tenantId: TenantId, tokenId: string, expiresAt: Date, events: readonly AuditEvent[]): Promise<boolean> {
    return this.persistence.transaction(async (repos) => {
      const extended = await repos.refreshTokens.extend(tenantId, tokenId, expiresAt);
      if (extended) await repos.auditOutbox.append(tenantId, events);
      return extended;
    });
  }

  revokeFamily(tenantId: TenantId, familyId: string, reason: string, now: Date, events: readonly AuditEvent[]): Promise<void> {
    return this.persistence.transaction(async (repos) => {
      await repos.refreshTokens.revokeFamily(tenantId, familyId, reason, now);
      await repos.auditOutbox.append(tenantId, events);
    });
  }

  async sessionActive(tenantId: TenantId, sessionId: string, now: Date): Promise<boolean> {
    return (await this.persistence.repositories.sessions.findActiveById(tenantId, sessionId, now)) !== null;
  }
}
