import { register } from 'node:module';
import { withEnvFile } from '@gatehouse/config';
import { beforeExit } from '../shutdown.js';

/**
 * Whether tracing is on: OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT set (not blank);
 * with neither, nothing of OpenTelemetry is loaded.
 */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'].some((name) => (env[name] ?? '').trim() !== '');
}

/**
 * Starts OpenTelemetry tracing before the app's modules load (docs/adr/0013): the ESM loader hook
 * that lets instrumentations patch `pg`, `ioredis` and `http` is registered, then the SDK starts.
 * Call it first in an entry point, and import the app after it. Off by default: returns at once.
 */
export async function startTracing(
  serviceName: string,
  given: NodeJS.ProcessEnv = process.env,
): Promise<(() => Promise<void>) | undefined> {
  const env = environment(given);
  if (!tracingEnabled(env)) return undefined;
  // OpenTelemetry reads its OTEL_* settings from process.env: those given in .env (env-file) go there too.
  for (const [name, value] of Object.entries(env))
    if (name.startsWith('OTEL_') && process.env[name] === undefined) process.env[name] = value;
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const { startOpenTelemetry } = await import('./open-telemetry.js');
  const shutdown = startOpenTelemetry(env['OTEL_SERVICE_NAME']?.trim() || serviceName);
  // The spans still batched when SIGTERM arrives are exported before the process exits.
  beforeExit(shutdown);
  return shutdown;
}

/** The environment over .env, as the app will read it; a broken ENV_FILE is reported by the config loader right after. */
function environment(given: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  try {
    return withEnvFile(given);
  } catch {
    return given;
  }
}
