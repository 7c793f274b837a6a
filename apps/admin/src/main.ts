// The configuration is read first, so a bad setting is reported before the app's modules load.
// Tracing then starts before they load, so its instrumentations can patch them (docs/adr/0013).
import { loadConfigOrExit } from '@gatehouse/config';
import { startTracing } from '@gatehouse/observability/tracing';

const config = loadConfigOrExit();
await startTracing('gatehouse-admin');
const { serve } = await import('./serve.js');
await serve(config);
