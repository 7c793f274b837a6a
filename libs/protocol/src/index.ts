export { asTenantId, type TenantId } from './tenant-id.js';
export { isValidTenantSlug, issuerFor } from './tenant-slug.js';
