import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { Controller, Inject, Header, HttpCode, Param, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { requestNotes } from '@gatehouse/observability';
import { formBody } from '../../http/form-body.js';
import { OAuthJsonExceptionFilter } from '../../http/oauth-json.filter.js';
import { clientCertificate } from '../../http/client-certificate.js';
import { requestContext } from '../../http/request-context.js';
import type { GatehouseConfig } from '@gatehouse/config';
import { IntrospectionService, type IntrospectionResponse } from './introspection.service.js';

@Controller('t/:tenant/introspect')
@UseFilters(OAuthJsonExceptionFilter)
export class IntrospectionController {
  constructor(
    private readonly introspection: IntrospectionService,
    @Inject(GATEHOUSE_CONFIG) private readonly config: GatehouseConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  introspect(@Param('tenant') tenant: string, @Req() request: FastifyRequest): Promise<IntrospectionResponse> {
    return this.introspection.introspect(
      tenant,
      request.headers.authorization,
      formBody(request),
      requestContext(request),
      requestNotes(request),
      clientCertificate(request, this.config),
    );
  }
}
