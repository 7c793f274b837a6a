export { createAuditWorkerApp } from './audit-worker.app.js';
export { BackchannelLogoutDispatcher, type BackchannelLogoutDispatcherOptions } from './backchannel/backchannel-logout.dispatcher.js';
