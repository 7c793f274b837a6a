export { createAuthorizationApp } from './authorization.app.js';
export { serveMutualTls, type MutualTlsListener } from './http/mtls-listener.js';
