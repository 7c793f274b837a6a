import { Controller, Get, Inject, Module, Res, type DynamicModule } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/**
 * A dependency the app needs to serve traffic; throws when it is not usable. It may also
 * report warnings and details that do not take the instance out of rotation (a Redis
 * eviction policy that can lose jobs, a tenant's SIEM sink that is failing).
 */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void | ReadinessReport>;
}

export interface ReadinessReport {
  readonly warnings?: readonly string[];
  readonly details?: Readonly<Record<string, unknown>>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Controller('health')
class HealthController {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: readonly ReadinessCheck[]) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    const warnings: string[] = [];
    const details: Record<string, unknown> = {};
    const results = await Promise.all(
      this.checks.map(async (dependency) => {
        const name = dependency.name;
        try {
          const report = await withTimeout(dependency.check(), 2000);
          if (report?.warnings) warnings.push(...report.warnings);
          if (report?.details) details[name] = report.details;
          return [name, 'up'] as const;
        } catch {
          return [name, 'down'] as const;
        }
      }),
    );
    const healthy = results.every(([, state]) => state === 'up');
    reply.status(healthy ? 200 : 503).header('cache-control', 'no-store');
    return {
      status: healthy ? 'ok' : 'unavailable',
      checks: Object.fromEntries(results),
      ...(warnings.length > 0 ? { warnings } : {}),
      ...(Object.keys(details).length > 0 ? { details } : {}),
    };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** GET /health/live (process up) and /health/ready (every dependency answers). */
@Module({})
export class HealthModule {
  static forChecks(checks: readonly ReadinessCheck[]): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [{ provide: READINESS_CHECKS, useValue: checks }],
    };
  }
}
