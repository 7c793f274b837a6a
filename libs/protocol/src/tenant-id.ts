declare const tenantIdBrand: unique symbol;

/** A tenant's primary key. Branded so a plain string (a slug, a client id) cannot stand in for it. */
export type TenantId = string & { readonly [tenantIdBrand]: true };

export function asTenantId(value: string): TenantId {
  return value as TenantId;
}
