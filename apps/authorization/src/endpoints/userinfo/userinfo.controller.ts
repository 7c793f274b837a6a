import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { Controller, Inject, Get, Header, HttpCode, Param, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { requestNotes } from '@gatehouse/observability';
import type { GatehouseConfig } from '@gatehouse/config';
import { presentedCertificate } from '../../http/client-certificate.js';
import { formBody } from '../../http/form-body.js';
import { OAuthJsonExceptionFilter } from '../../http/oauth-json.filter.js';
import type { UserinfoPresentation } from './userinfo-credentials.js';
import { UserinfoService } from './userinfo.service.js';

@Controller('t/:tenant/userinfo')
@UseFilters(OAuthJsonExceptionFilter)
export class UserinfoController {
  constructor(
    private readonly userinfo: UserinfoService,
    @Inject(GATEHOUSE_CONFIG) private readonly config: GatehouseConfig,
  ) {}

  @Get()
  @Header('cache-control', 'no-store')
  viaGet(@Param('tenant') tenant: string, @Req() request: FastifyRequest): Promise<Record<string, unknown>> {
    return this.userinfo.claims(tenant, presentation(request, 'GET', this.config), undefined, requestNotes(request));
  }

  @Post()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  viaPost(@Param('tenant') tenant: string, @Req() request: FastifyRequest): Promise<Record<string, unknown>> {
    return this.userinfo.claims(
      tenant,
      presentation(request, 'POST', this.config),
      formBody(request, { optional: true }),
      requestNotes(request),
    );
  }
}

function presentation(request: FastifyRequest, method: 'GET' | 'POST', config: GatehouseConfig): UserinfoPresentation {
  return {
    authorization: request.headers.authorization,
    dpop: request.headers.dpop,
    method,
    certificate: presentedCertificate(request, config),
  };
}
