import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeCause, InvalidRequest, OAuthError, toErrorResponse, toServerError } from '@gatehouse/protocol';
import { GatehouseLogger, GatehouseMetrics } from '@gatehouse/observability';
import { TenantResolver } from '../tenancy/tenant-resolver.js';
import { UnknownTenant } from '../tenancy/unknown-tenant.error.js';
import { sendNavigationErrorPage, wantsNavigationErrorPage, type NavigationError } from './navigation-error-page.js';

interface JsonError {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

/**
 * The authorization app's one exception filter. Programs get RFC 6749 §5.2 JSON with no-store;
 * anything unexpected is a generic server_error whose detail goes only to the log. A person's
 * browser navigating to an address under /t/{tenant}/ that fails gets the HTML error page
 * instead (browser-navigation.ts decides which is which; the back-channel APIs stay JSON for
 * every program whatever its Accept header).
 */
@Catch()
export class OAuthJsonExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly logger: GatehouseLogger,
    private readonly metrics: GatehouseMetrics,
    private readonly tenants: TenantResolver,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const json = this.toJson(exception, request.id);
    const tenantSlug = (request.params as { tenant?: string } | undefined)?.tenant;
    this.metrics.countError(request.routeOptions.url, tenantSlug, String(json.body['error']));
    if (!wantsNavigationErrorPage(request)) {
      void reply.status(json.status).headers(json.headers).send(json.body);
      return;
    }
    const navigation: NavigationError = {
      status: json.status,
      unknownTenant: exception instanceof UnknownTenant,
      retryAfter: json.headers['retry-after'],
    };
    sendNavigationErrorPage(request, reply, navigation, (slug) => this.tenants.find(slug)).catch((error: unknown) => {
      this.logger.error('The error page could not be rendered', { err: error, reqId: request.id });
      if (!reply.sent) void reply.status(json.status).headers(json.headers).send(json.body);
    });
  }

  private toJson(exception: unknown, reqId: string): JsonError {
    const noStore = { 'cache-control': 'no-store' };
    if (exception instanceof UnknownTenant) {
      return { status: 404, headers: noStore, body: { error: 'invalid_request', error_description: 'Unknown tenant' } };
    }
    if (exception instanceof HttpException && exception.getStatus() === 404) {
      return { status: 404, headers: noStore, body: { error: 'invalid_request', error_description: 'Not found' } };
    }
    const error = this.toOAuthError(exception);
    if (error.status >= 500) this.logger.error('Unhandled error on a back-channel endpoint', { err: exception, reqId });
    else if (error.internalCause !== undefined) this.logger.debug(`${error.error}: ${describeCause(error.internalCause)}`, { reqId });
    const response = toErrorResponse(error);
    return { status: response.status, headers: response.headers, body: { ...response.body } };
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
