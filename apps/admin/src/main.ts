// Tracing starts before the app's modules load, so its instrumentations can patch them (docs/adr/0013).
import { startTracing } from '@gatehouse/observability/tracing';

await startTracing('gatehouse-admin');
await import('./serve.js');
