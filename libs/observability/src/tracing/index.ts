// A second entry point of libs/observability, on purpose: an app's main imports it before anything
// else, so nothing the instrumentations must patch (http, pg, ioredis) is loaded yet (docs/adr/0013).
export { startTracing, tracingEnabled } from './start-tracing.js';
