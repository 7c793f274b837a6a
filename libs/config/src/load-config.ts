import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import type { GatehouseConfig } from './config.types.js';
import { environmentSchema } from './env.schema.js';
import { loadOrCreateDevelopmentKey } from './key-encryption-key.js';

/** Enough for a burst of tenant creations; each refill costs an RSA key generation in the background. */
const DEFAULT_SIGNING_KEY_POOL_SIZE = 64;

/**
 * Validates the environment once into a frozen, typed object. Every invalid
 * variable is reported together so one restart fixes them all.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): GatehouseConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);
    throw new ConfigError([...new Set(problems)]);
  }
  const vars = parsed.data;
  if (vars.NODE_ENV === 'production' && !vars.KEY_ENCRYPTION_KEY) {
    throw new ConfigError(['KEY_ENCRYPTION_KEY: is required when NODE_ENV=production (32 bytes, base64)']);
  }

  if (vars.NODE_ENV === 'production' && vars.METRICS_TOKEN === undefined && vars.METRICS_PORT === undefined) {
    throw new ConfigError([
      'METRICS_TOKEN, METRICS_PORT: one is required when NODE_ENV=production (a bearer token for /metrics, or a separate port for it), so metrics are not open to anyone who reaches the apps',
    ]);
  }

  if (vars.MTLS_PORT !== undefined && (vars.MTLS_TLS_CERT_FILE === undefined || vars.MTLS_TLS_KEY_FILE === undefined)) {
    throw new ConfigError([
      'MTLS_TLS_CERT_FILE, MTLS_TLS_KEY_FILE: both are required with MTLS_PORT (the server certificate and key of the TLS listener that asks for client certificates)',
    ]);
  }

  const bootstrapPasswordProblem = vars.ADMIN_PASSWORD && vars.ADMIN_PASSWORD_FILE;
  if (bootstrapPasswordProblem) throw new ConfigError(['ADMIN_PASSWORD, ADMIN_PASSWORD_FILE: set one or the other, not both']);

  const dataDir = isAbsolute(vars.DATA_DIR) ? vars.DATA_DIR : resolve(cwd, vars.DATA_DIR);
  const warnings: string[] = [];
  let keyEncryptionKey: Buffer;
  let keyEncryptionKeySource: GatehouseConfig['keyEncryptionKeySource'] = 'environment';
  if (vars.KEY_ENCRYPTION_KEY) {
    keyEncryptionKey = Buffer.from(vars.KEY_ENCRYPTION_KEY, 'base64');
  } else {
    const generated = loadOrCreateDevelopmentKey(dataDir);
    keyEncryptionKey = generated.key;
    keyEncryptionKeySource = generated.created ? 'created-in-data-dir' : 'data-dir';
    warnings.push(
      `KEY_ENCRYPTION_KEY is not set: using the ${generated.created ? 'newly generated' : 'generated'} key in ${dataDir}; set it explicitly for anything but development`,
    );
  }

  return Object.freeze<GatehouseConfig>({
    nodeEnv: vars.NODE_ENV,
    publicUrl: vars.PUBLIC_URL,
    adminPublicUrl: vars.ADMIN_PUBLIC_URL,
    listenHost: vars.LISTEN_HOST,
    ports: Object.freeze({
      authorization: vars.AUTHORIZATION_PORT,
      admin: vars.ADMIN_PORT,
      worker: vars.WORKER_PORT,
    }),
    database: Object.freeze(
      vars.DATABASE_URL
        ? { kind: 'postgres' as const, url: vars.DATABASE_URL, poolSize: vars.DATABASE_POOL_SIZE }
        : { kind: 'embedded' as const, dataDir },
    ),
    redisUrl: vars.REDIS_URL,
    keyEncryptionKey,
    keyEncryptionKeySource,
    keyPrepublicationSeconds: vars.KEY_PREPUBLICATION_SECONDS,
    signingKeyPoolSize: vars.SIGNING_KEY_POOL_SIZE ?? (vars.NODE_ENV === 'test' ? 0 : DEFAULT_SIGNING_KEY_POOL_SIZE),
    dataDir,
    log: Object.freeze({
      level: vars.LOG_LEVEL,
      format: vars.LOG_FORMAT ?? (vars.NODE_ENV === 'production' ? 'json' : 'pretty'),
    }),
    trustedProxies: Object.freeze([...vars.TRUSTED_PROXIES]),
    mtls: Object.freeze({
      caFile: vars.MTLS_CA_FILE === undefined ? undefined : resolve(cwd, vars.MTLS_CA_FILE),
      clientCertHeader: vars.MTLS_CLIENT_CERT_HEADER,
      publicUrl: vars.MTLS_PUBLIC_URL?.replace(/\/+$/, ''),
      listener:
        vars.MTLS_PORT === undefined || vars.MTLS_TLS_CERT_FILE === undefined || vars.MTLS_TLS_KEY_FILE === undefined
          ? undefined
          : Object.freeze({
              port: vars.MTLS_PORT,
              certFile: resolve(cwd, vars.MTLS_TLS_CERT_FILE),
              keyFile: resolve(cwd, vars.MTLS_TLS_KEY_FILE),
            }),
    }),
    geoIpDbPath: vars.GEOIP_DB_PATH,
    // The SIEM-only switch keeps working; the outbound one covers SIEM sinks too.
    siemAllowPrivateTargets: vars.SIEM_ALLOW_PRIVATE_TARGETS === 'true' || vars.OUTBOUND_ALLOW_PRIVATE_TARGETS === 'true',
    outboundAllowPrivateTargets: vars.OUTBOUND_ALLOW_PRIVATE_TARGETS === 'true',
    rateLimits: Object.freeze({ enabled: vars.RATE_LIMITS_ENABLED === 'true', failClosed: vars.RATE_LIMIT_FAIL_CLOSED === 'true' }),
    bootstrapAdmin: Object.freeze({
      username: vars.ADMIN_USERNAME,
      password: bootstrapPassword(vars.ADMIN_PASSWORD, vars.ADMIN_PASSWORD_FILE, cwd),
      passwordFromFile: vars.ADMIN_PASSWORD_FILE !== undefined,
    }),
    health: Object.freeze({ keyExpiryWarnDays: vars.HEALTH_KEY_EXPIRY_WARN_DAYS }),
    metrics: Object.freeze({ token: vars.METRICS_TOKEN, port: vars.METRICS_PORT, tenantLabelCap: vars.METRICS_TENANT_LABEL_CAP }),
    warnings: Object.freeze(warnings),
  });
}

/** ADMIN_PASSWORD_FILE: the password is the file's content without its final line break (as secrets mounts write it). */
function bootstrapPassword(password: string | undefined, file: string | undefined, cwd: string): string | undefined {
  if (file === undefined) return password;
  let content: string;
  try {
    content = readFileSync(isAbsolute(file) ? file : resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new ConfigError([`ADMIN_PASSWORD_FILE: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  const value = content.replace(/\r?\n$/, '');
  if (value.length === 0) throw new ConfigError(['ADMIN_PASSWORD_FILE: the file is empty']);
  return value;
}
