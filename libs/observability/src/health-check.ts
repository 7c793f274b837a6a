/** The platform's health contract: `healthy` and `degraded` answer 200, `unhealthy` 503. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/**
 * A dependency the app needs to serve traffic. Throwing (or not answering in time) makes it
 * unhealthy; a report may say it is degraded (a Redis eviction policy that can lose jobs, a
 * tenant's failing SIEM sink) and carry details that keep the instance in rotation.
 */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void | ReadinessReport>;
}

export interface ReadinessReport {
  readonly status: HealthStatus;
  /** Safe to show to whoever reaches the health port: states and names, never error text or stack. */
  readonly error?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** One entry of `checks`: `error` is null when healthy, a short safe sentence otherwise. */
export interface CheckResult {
  readonly name: string;
  readonly status: HealthStatus;
  readonly error: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface HealthResponse {
  readonly status: HealthStatus;
  readonly checks: readonly CheckResult[];
  readonly timestamp: string;
}

/** Long enough for a loaded database, short enough that a hung one answers 503 before a probe gives up. */
export const CHECK_TIMEOUT_MS = 2000;

/** Runs every check concurrently, each under its own timeout. */
export async function evaluateHealth(
  checks: readonly ReadinessCheck[],
  now: () => Date = () => new Date(),
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<HealthResponse> {
  const results = await Promise.all(checks.map((check) => runCheck(check, timeoutMs)));
  return { status: overallStatus(results), checks: results, timestamp: now().toISOString() };
}

export function overallStatus(results: readonly { status: HealthStatus }[]): HealthStatus {
  if (results.some((result) => result.status === 'unhealthy')) return 'unhealthy';
  return results.some((result) => result.status === 'degraded') ? 'degraded' : 'healthy';
}

async function runCheck(dependency: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const name = dependency.name;
  let report: void | ReadinessReport;
  try {
    report = await withTimeout(dependency.check(), timeoutMs);
  } catch (error) {
    // The cause (a driver message naming hosts and ports) is not the caller's business.
    const timedOut = error instanceof CheckTimeout;
    return { name, status: 'unhealthy', error: timedOut ? `no answer within ${timeoutMs} ms` : 'unavailable' };
  }
  const status = report?.status ?? 'healthy';
  return {
    name,
    status,
    error: status === 'healthy' ? null : (report?.error ?? status),
    ...(report?.details ? { details: report.details } : {}),
  };
}

class CheckTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
