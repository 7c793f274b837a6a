import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { Controller, Inject, Header, HttpCode, Param, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { requestNotes } from '@gatehouse/observability';
import { formBody } from '../../http/form-body.js';
import { OAuthJsonExceptionFilter } from '../../http/oauth-json.filter.js';
import { clientCertificate } from '../../http/client-certificate.js';
import { requestContext } from '../../http/request-context.js';
import type { GatehouseConfig } from '@gatehouse/config';
import { PushedRequestService, type PushedRequestResponse } from './par.service.js';

/** RFC 9126 §2: the pushed authorization request endpoint; 201 Created with request_uri and expires_in. */
@Controller('t/:tenant/par')
@UseFilters(OAuthJsonExceptionFilter)
export class PushedRequestController {
  constructor(
    private readonly pushed: PushedRequestService,
    @Inject(GATEHOUSE_CONFIG) private readonly config: GatehouseConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  push(@Param('tenant') tenant: string, @Req() request: FastifyRequest): Promise<PushedRequestResponse> {
    return this.pushed.push(
      tenant,
      request.headers.authorization,
      formBody(request),
      requestContext(request),
      requestNotes(request),
      request.headers.dpop,
      clientCertificate(request, this.config),
    );
  }
}
