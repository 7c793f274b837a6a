export { createAdminApp } from './admin.app.js';
export { adminServicesOf, createAdminServices, type AdminServices } from './admin-services.js';
export { bootstrapPlatform, SYSTEM_TENANT, PLATFORM_ADMIN_ROLE, type BootstrapResult } from './platform/platform-bootstrap.js';
export { announceBootstrap } from './platform/announce-bootstrap.js';
