import type { AuditEventType } from './audit-event.js';

export interface RiskReason {
  /** `geo.new_country`, `geo.impossible_travel`, `device.new`, `velocity.user`, `velocity.ip`. */
  readonly rule: string;
  readonly points: number;
  readonly detail: string;
}

export interface RiskAssessment {
  /** 0..100 */
  readonly score: number;
  readonly reasons: readonly RiskReason[];
}

/** Where an IP is: a place from the geo database, `internal` for loopback and private ranges, or unknown. */
export type GeoLocation =
  | { readonly kind: 'internal' }
  | { readonly kind: 'unknown' }
  | {
      readonly kind: 'located';
      readonly country: string;
      readonly city?: string | undefined;
      readonly latitude?: number | undefined;
      readonly longitude?: number | undefined;
    };

export interface DeviceInfo {
  /** Stable id from the signed device cookie, when the browser sent one. */
  readonly id?: string | undefined;
  readonly browser?: string | undefined;
  readonly os?: string | undefined;
  /** ua-parser-js device type; absent for desktops. */
  readonly type?: string | undefined;
}

/**
 * An audit event after the worker enriched and scored it: what is stored in
 * `audit_records`, chained per tenant, and what the SIEM formatters export.
 */
export interface AuditRecord {
  /** The outbox event id: one record per event, however often its job runs. */
  readonly id: string;
  readonly tenantId: string;
  readonly tenantSlug: string;
  /** Position in the tenant's hash chain, from 1. */
  readonly sequence: number;
  readonly type: AuditEventType;
  readonly outcome: 'success' | 'failure';
  readonly occurredAt: Date;
  readonly recordedAt: Date;
  readonly userId?: string | undefined;
  readonly username?: string | undefined;
  readonly clientId?: string | undefined;
  readonly ip?: string | undefined;
  readonly userAgent?: string | undefined;
  readonly geo: GeoLocation;
  readonly device?: DeviceInfo | undefined;
  readonly risk: RiskAssessment;
  readonly errorCode?: string | undefined;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  /** Hex SHA-256 of the previous record's hash and this record's canonical JSON. */
  readonly hash: string;
  readonly previousHash: string;
}
