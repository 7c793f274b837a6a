import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { BearerError } from './bearer-error.js';

type FastifyReply = { code(status: number): FastifyReply; header(name: string, value: string): FastifyReply; send(body: unknown): unknown };
type ExpressResponse = {
  status(status: number): ExpressResponse;
  setHeader(name: string, value: string): unknown;
  json(body: unknown): unknown;
};

/**
 * Answers a BearerError as RFC 6750 §3 says: its status, its WWW-Authenticate challenge, and
 * `{error, error_description}`; on Fastify or Express. Registered by ResourceServerModule; an app's own
 * filter for BearerError (a controller's @UseFilters) takes precedence.
 */
@Catch(BearerError)
export class BearerErrorFilter implements ExceptionFilter<BearerError> {
  catch(error: BearerError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<FastifyReply | ExpressResponse>();
    if ('code' in response && typeof response.code === 'function') {
      response
        .code(error.status)
        .header('www-authenticate', error.wwwAuthenticate)
        .header('cache-control', 'no-store')
        .send(error.toJSON());
      return;
    }
    const express = response as ExpressResponse;
    express.setHeader('www-authenticate', error.wwwAuthenticate);
    express.setHeader('cache-control', 'no-store');
    express.status(error.status).json(error.toJSON());
  }
}
