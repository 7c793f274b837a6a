/** The label value of every tenant past the cap. */
export const OTHER_TENANT = 'other';

/**
 * Bounds the `tenant` label: the first `cap` distinct tenants seen keep their slug, later ones
 * count as `other`, so a platform with thousands of tenants cannot blow up the series count.
 * Only slugs of tenants that exist are admitted (the caller resolved them), never raw input.
 */
export class TenantLabel {
  private readonly named = new Set<string>();

  constructor(private readonly cap: number) {}

  /** The label for a resolved tenant, admitting it while there is room. */
  of(slug: string): string {
    if (this.named.has(slug)) return slug;
    if (this.named.size >= this.cap) return OTHER_TENANT;
    this.named.add(slug);
    return slug;
  }

  /** The label for a slug taken from a request path: never admits, so unknown tenants cannot fill the cap. */
  peek(slug: string | undefined): string {
    if (slug === undefined) return NO_TENANT;
    return this.named.has(slug) ? slug : OTHER_TENANT;
  }
}

/** Requests outside any tenant (platform admin routes, health). */
export const NO_TENANT = 'none';
