import { Injectable } from '@nestjs/common';
import type { Client, NewGrant, Tenant } from '@gatehouse/persistence';
import { generateOpaqueSecret, hashOpaqueSecret } from '@gatehouse/tokens';

export interface FamilySubject {
  readonly userId: string;
  readonly sessionId: string | null;
  readonly scopes: readonly string[];
  readonly resource: string | null;
  readonly authTime: Date;
  readonly amr: readonly string[];
  readonly dpopJkt?: string | null;
  readonly authorizationDetails?: readonly Readonly<Record<string, unknown>>[] | null;
}

export interface NewRefreshToken {
  /** The value handed to the client; only its hash is stored. */
  readonly token: string;
  readonly familyId: string;
  readonly tokenHash: string;
  readonly expiresAt: Date;
}

/**
 * Refresh tokens: 256 random bits, stored as a SHA-256 hash, grouped in a family
 * (the grant) with an absolute lifetime; each token also has an idle lifetime.
 */
@Injectable()
export class RefreshTokenIssuer {
  /** OAuth 2.1 §4.3 / OIDC Core §11: with openid, only for offline_access unless the tenant allows more. */
  shouldIssue(tenant: Tenant, client: Client, scopes: readonly string[]): boolean {
    if (!client.grantTypes.includes('refresh_token')) return false;
    return !scopes.includes('openid') || scopes.includes('offline_access') || tenant.refreshWithoutOfflineAccess;
  }

  /** Public clients always rotate (OAuth 2.1 §4.3.1); confidential ones unless they opted out. */
  rotates(client: Client): boolean {
    return client.tokenEndpointAuthMethod === 'none' || client.rotateRefreshTokens;
  }

  /**
   * A new grant: its family (`familyId` is chosen beforehand so the access token can name it) and
   * first token, for the redemption to store; and the refresh token to hand out if it does.
   */
  newGrant(tenant: Tenant, client: Client, familyId: string, subject: FamilySubject, now: Date): { grant: NewGrant; refreshToken: string } {
    const absoluteExpiresAt = new Date(
      now.getTime() + (client.refreshTokenAbsoluteTtlSeconds ?? tenant.refreshTokenAbsoluteTtlSeconds) * 1000,
    );
    const first = this.successor(tenant, client, familyId, absoluteExpiresAt, now);
    return {
      grant: {
        family: { id: familyId, clientId: client.clientId, ...subject, absoluteExpiresAt },
        firstToken: { tokenHash: first.tokenHash, expiresAt: first.expiresAt },
      },
      refreshToken: first.token,
    };
  }

  /** A new token of the family, to be stored by the caller (a rotation stores it in the same statement that spends the old one). */
  successor(tenant: Tenant, client: Client, familyId: string, absoluteExpiresAt: Date, now: Date): NewRefreshToken {
    const token = generateOpaqueSecret(32);
    return { token, familyId, tokenHash: hashOpaqueSecret(token), expiresAt: this.idleExpiry(tenant, client, absoluteExpiresAt, now) };
  }

  idleExpiry(tenant: Tenant, client: Client, absoluteExpiresAt: Date, now: Date): Date {
    const idle = now.getTime() + (client.refreshTokenIdleTtlSeconds ?? tenant.refreshTokenIdleTtlSeconds) * 1000;
    return new Date(Math.min(idle, absoluteExpiresAt.getTime()));
  }
}
