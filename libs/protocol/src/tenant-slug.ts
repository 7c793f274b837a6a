/** Tenant slugs name the issuer path `/t/{slug}`: lowercase letters, digits and hyphens, 2-63 characters. */
const SLUG_PATTERN = /^[a-z0-9-]{2,63}$/;

export function isValidTenantSlug(value: string): boolean {
  return SLUG_PATTERN.test(value);
}

export function issuerFor(publicUrl: string, slug: string): string {
  return `${publicUrl}/t/${slug}`;
}
