export { createAuditWorkerApp } from './audit-worker.app.js';
