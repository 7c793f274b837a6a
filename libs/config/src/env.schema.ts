import { z } from 'zod';
import { isCidr } from './cidr.js';

// A string first: z.coerce.number would read an empty value as 0, a random port nobody asked for.
const port = z
  .string()
  .trim()
  .regex(/^\d+$/, 'must be a port number (0-65535); leave it unset for the default')
  .transform(Number)
  .pipe(z.number().max(65535, 'must be between 0 and 65535'));

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** OpenTelemetry's OTLP protocols that Gatehouse exports with (no gRPC). */
const otlpProtocol = optionalString.pipe(
  z.enum(['http/protobuf', 'http/json'], { error: 'must be http/protobuf or http/json' }).optional(),
);

const httpUrl = (schemes: readonly string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return schemes.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be an absolute ${schemes.map((s) => s.replace(':', '')).join(' or ')} URL`,
    );

/**
 * Every environment variable Gatehouse reads. `.env.example` documents each one;
 * keep the two in step.
 */
export const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PUBLIC_URL: httpUrl(['http:', 'https:'])
    .refine((value) => !/[?#]/.test(value), 'must not carry a query or fragment')
    .default('http://localhost:3000')
    .transform((value) => value.replace(/\/+$/, '')),
  ADMIN_PUBLIC_URL: optionalString.pipe(
    httpUrl(['http:', 'https:'])
      .refine((value) => !/[?#]/.test(value), 'must not carry a query or fragment')
      .transform((value) => value.replace(/\/+$/, ''))
      .optional(),
  ),
  LISTEN_HOST: z.string().trim().min(1, 'must not be empty').default('0.0.0.0'),
  AUTHORIZATION_PORT: port.default(3000),
  ADMIN_PORT: port.default(3001),
  WORKER_PORT: port.default(3002),
  DATABASE_URL: optionalString.pipe(httpUrl(['postgres:', 'postgresql:']).optional()),
  DATABASE_POOL_SIZE: z.coerce.number().int('must be a whole number').min(2, 'must be at least 2').max(200).default(10),
  REDIS_URL: optionalString.pipe(httpUrl(['redis:', 'rediss:']).optional()),
  KEY_ENCRYPTION_KEY: optionalString.pipe(
    z
      .string()
      .refine(
        (value) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32,
        'must be 32 bytes encoded in base64',
      )
      .optional(),
  ),
  KEY_PREPUBLICATION_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86400)
    .default(300),
  SIGNING_KEY_POOL_SIZE: z.coerce.number().int('must be a whole number').min(0).max(1000).optional(),
  DATA_DIR: z.string().trim().min(1, 'must not be empty').default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine((entries) => entries.every(isCidr), 'must be a comma-separated list of IP addresses or CIDR ranges'),
  MTLS_CA_FILE: optionalString,
  MTLS_PORT: port.optional(),
  MTLS_TLS_CERT_FILE: optionalString,
  MTLS_TLS_KEY_FILE: optionalString,
  MTLS_PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional()),
  MTLS_CLIENT_CERT_HEADER: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]{1,64}$/, 'must be an HTTP header name')
    .default('x-ssl-client-cert'),
  ADMIN_USERNAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._@-]{1,128}$/, 'must be 1-128 letters, digits or . _ @ -')
    .default('admin'),
  ADMIN_PASSWORD: optionalString,
  ADMIN_PASSWORD_FILE: optionalString,
  GEOIP_DB_PATH: optionalString,
  SIEM_ALLOW_PRIVATE_TARGETS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  OUTBOUND_ALLOW_PRIVATE_TARGETS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  HEALTH_KEY_EXPIRY_WARN_DAYS: z.coerce
    .number()
    .int('must be a whole number')
    .min(0, 'must be between 0 and 365')
    .max(365, 'must be between 0 and 365')
    .default(14),
  RATE_LIMIT_FAIL_CLOSED: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  RATE_LIMITS_ENABLED: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  METRICS_PORT: optionalString.pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, 'must be a port number')
      .transform(Number)
      .pipe(z.number().max(65535, 'must be between 0 and 65535'))
      .optional(),
  ),
  // OpenTelemetry's own variables (docs/adr/0013), read by its SDK; checked here so a typo stops start-up.
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(httpUrl(['http:', 'https:']).optional()),
  // The traces URL itself (no /v1/traces appended), over OTEL_EXPORTER_OTLP_ENDPOINT; either turns tracing on.
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalString.pipe(httpUrl(['http:', 'https:']).optional()),
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol,
  OTEL_SERVICE_NAME: optionalString,
  OTEL_TRACES_SAMPLER: optionalString,
  OTEL_TRACES_SAMPLER_ARG: optionalString,
  // Read by the OpenTelemetry bootstrap itself: unset, traces only (no SDK metrics or logs pipelines).
  OTEL_METRICS_EXPORTER: optionalString,
  OTEL_LOGS_EXPORTER: optionalString,
  // Read before this schema (env-file.ts); listed so it is documented with the rest.
  ENV_FILE: z.string().optional(),
  METRICS_TENANT_LABEL_CAP: z.coerce.number().int('must be a whole number').min(0).max(10000).default(100),
});

export type Environment = z.output<typeof environmentSchema>;
