import type { SigningGaps, SigningKeyRepository } from '../repositories/signing-key.repository.js';

const DAY_MS = 86_400_000;
/** Readiness probes come every few seconds from every orchestrator and balancer: one query serves them. */
const CACHE_MS = 10_000;

export interface SigningKeysReadinessOptions {
  readonly warnDays: number;
  readonly now?: () => Date;
  readonly cacheMs?: number;
}

export interface SigningKeysReport {
  readonly status: 'healthy' | 'degraded';
  readonly error?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Every active tenant has a key that signs, and none stops signing within `warnDays`. A gap is
 * degraded, not unhealthy: it concerns one tenant, and taking every instance out of rotation
 * would stop all the others too.
 */
export function signingKeysReadiness(
  keys: Pick<SigningKeyRepository, 'findSigningGaps'>,
  options: SigningKeysReadinessOptions,
): { readonly name: string; check(): Promise<SigningKeysReport> } {
  const now = options.now ?? (() => new Date());
  const cacheMs = options.cacheMs ?? CACHE_MS;
  let cached: { at: number; report: Promise<SigningKeysReport> } | undefined;
  return {
    name: 'signing-keys',
    check: (): Promise<SigningKeysReport> => {
      const at = now();
      if (!cached || at.getTime() - cached.at >= cacheMs) {
        const report = keys.findSigningGaps(at, new Date(at.getTime() + options.warnDays * DAY_MS)).then(toReport);
        const entry = { at: at.getTime(), report };
        // A failed query is not remembered: the next probe asks again.
        report.catch(() => {
          if (cached === entry) cached = undefined;
        });
        cached = entry;
      }
      return cached.report;
    },
  };
}

function toReport(gaps: SigningGaps): SigningKeysReport {
  if (gaps.total === 0) return { status: 'healthy' };
  const problems = gaps.tenants.map((tenant) =>
    tenant.signing && tenant.signsUntil
      ? `tenant ${tenant.slug}: signing keys stop signing at ${tenant.signsUntil.toISOString()} with no successor`
      : `tenant ${tenant.slug} has no active signing key`,
  );
  const more = gaps.total - gaps.tenants.length;
  return {
    status: 'degraded',
    error: problems.join('; ') + (more > 0 ? `; and ${more} more ${more === 1 ? 'tenant' : 'tenants'}` : ''),
    details: {
      without_active_key: gaps.tenants.filter((tenant) => !tenant.signing).map((tenant) => tenant.slug),
      expiring: gaps.tenants
        .filter((tenant) => tenant.signing && tenant.signsUntil)
        .map((tenant) => ({ tenant: tenant.slug, signs_until: tenant.signsUntil?.toISOString() })),
      tenants_affected: gaps.total,
    },
  };
}
