import { Controller, Get, Inject, Module, Res, type DynamicModule } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { evaluateHealth, type HealthResponse, type ReadinessCheck } from './health-check.js';

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/**
 * The platform's health contract as a JSON Schema, for the OpenAPI document of the app that has one
 * (the admin app adds it there, so the other apps never load @nestjs/swagger).
 */
export const HEALTH_SCHEMA = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['healthy', 'degraded', 'unhealthy'] },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, status: { type: 'string' }, error: { type: 'string', nullable: true } },
      },
    },
    timestamp: { type: 'string', format: 'date-time' },
  },
};

@Controller('health')
class HealthController {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: readonly ReadinessCheck[]) {}

  /** The process answers: no dependency is touched, so a database outage never restarts the pod. */
  @Get('live')
  live(@Res({ passthrough: true }) reply: FastifyReply): HealthResponse {
    reply.header('cache-control', 'no-store');
    return { status: 'healthy', checks: [], timestamp: new Date().toISOString() };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const health = await evaluateHealth(this.checks);
    reply.status(health.status === 'unhealthy' ? 503 : 200).header('cache-control', 'no-store');
    return health;
  }
}

/**
 * GET /health/live and /health/ready in the platform's contract. Our own module rather than
 * @nestjs/terminus: terminus answers {status: ok|error, info, error, details} and has no
 * degraded state, so it would only run the checks whose output we would then rewrite.
 */
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
