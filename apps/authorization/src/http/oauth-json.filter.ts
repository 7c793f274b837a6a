import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeCause, InvalidRequest, OAuthError, toErrorResponse, toServerError } from '@gatehouse/protocol';
import { GatehouseLogger } from '@gatehouse/observability';
import { UnknownTenant } from '../tenancy/unknown-tenant.error.js';
import { sendNavigationErrorPage } from './navigation-error-page.js';

/**
 * Back-channel endpoints (token, userinfo, discovery, JWKS): every failure is
 * RFC 6749 §5.2 JSON with no-store; anything unexpected is a generic server_error
 * whose detail goes only to the log. A person's browser navigating to an address
 * under /t/{tenant}/ that fails gets the HTML error page instead.
 */
@Catch()
export class OAuthJsonExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: GatehouseLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (exception instanceof UnknownTenant && sendNavigationErrorPage(request, reply, 404, { unknownTenant: true })) return;
    if (exception instanceof UnknownTenant) {
      void reply.status(404).header('cache-control', 'no-store').send({ error: 'invalid_request', error_description: 'Unknown tenant' });
      return;
    }
    if (exception instanceof HttpException && exception.getStatus() === 404) {
      if (sendNavigationErrorPage(request, reply, 404)) return;
      void reply.status(404).header('cache-control', 'no-store').send({ error: 'invalid_request', error_description: 'Not found' });
      return;
    }
    const error = this.toOAuthError(exception);
    if (error.status >= 500) this.logger.error('Unhandled error on a back-channel endpoint', { err: exception });
    else if (error.internalCause !== undefined) this.logger.debug(`${error.error}: ${describeCause(error.internalCause)}`);
    const detail = error.hint ?? error.description;
    if (sendNavigationErrorPage(request, reply, error.status, { detail, retryAfter: error.retryAfterSeconds?.toString() })) return;
    const response = toErrorResponse(error);
    void reply.status(response.status).headers(response.headers).send(response.body);
  }

  private toOAuthError(exception: unknown): OAuthError {
    if (exception instanceof OAuthError) return exception;
    // Fastify's own refusals (bad content type, body too large) are client errors.
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return new InvalidRequest({ hint: 'the request could not be parsed', cause: exception.message });
    }
    const status = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return new InvalidRequest({ hint: 'the request could not be parsed' });
    return toServerError(exception);
  }
}
