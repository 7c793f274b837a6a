export { createAuthorizationApp } from './authorization.app.js';
