import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatehouseLogger } from '@gatehouse/observability';
import { BearerError } from '@gatehouse/resource-server';
import { AdminProblem, type AdminProblemCode } from '../errors/admin-problem.js';

const STATUS: Record<AdminProblemCode, number> = {
  validation_failed: 400,
  weak_password: 400,
  tenant_not_found: 404,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  precondition_required: 428,
  precondition_failed: 412,
};

/**
 * The admin API's one error shape: RFC 9457 problem details with a stable
 * machine `code` (never an OAuth error code); unexpected failures are a generic 500.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: GatehouseLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const problem = this.toProblem(exception);
    if (problem.status >= 500) this.logger.error('Unhandled error in the admin API', { err: exception, reqId: request.id });
    if (exception instanceof BearerError) void reply.header('www-authenticate', exception.wwwAuthenticate);
    void reply.status(problem.status).header('content-type', 'application/problem+json').header('cache-control', 'no-store').send(problem);
  }

  private toProblem(exception: unknown): Record<string, unknown> & { status: number } {
    if (exception instanceof AdminProblem) {
      const status = STATUS[exception.code];
      return {
        type: `urn:gatehouse:problem:${exception.code}`,
        title: exception.code.replace(/_/g, ' '),
        status,
        code: exception.code,
        detail: exception.message,
        ...(exception.field ? { errors: [{ field: exception.field, message: exception.message }] } : {}),
      };
    }
    if (exception instanceof BearerError) {
      const code = exception.status === 403 ? 'forbidden' : 'unauthorized';
      return { type: `urn:gatehouse:problem:${code}`, title: code, status: exception.status, code, detail: exception.description };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const code = status === 404 ? 'not_found' : 'bad_request';
      return {
        type: `urn:gatehouse:problem:${code}`,
        title: code.replace('_', ' '),
        status,
        code,
        detail: status === 404 ? 'No such resource' : 'The request could not be processed',
      };
    }
    return {
      type: 'urn:gatehouse:problem:internal',
      title: 'internal error',
      status: 500,
      code: 'internal',
      detail: 'The server could not complete the request',
    };
  }
}
