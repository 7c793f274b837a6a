import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { Controller, Inject, Header, HttpCode, Param, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { requestNotes } from '@gatehouse/observability';
import { OAuthJsonExceptionFilter } from '../../http/oauth-json.filter.js';
import { formBody } from '../../http/form-body.js';
import { clientCertificate } from '../../http/client-certificate.js';
import { requestContext } from '../../http/request-context.js';
import type { GatehouseConfig } from '@gatehouse/config';
import { RevocationService } from './revocation.service.js';

@Controller('t/:tenant/revoke')
@UseFilters(OAuthJsonExceptionFilter)
export class RevocationController {
  constructor(
    private readonly revocation: RevocationService,
    @Inject(GATEHOUSE_CONFIG) private readonly config: GatehouseConfig,
  ) {}

  /** RFC 7009 §2.2: 200 with an empty body, whether or not there was anything to revoke. */
  @Post()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  async revoke(@Param('tenant') tenant: string, @Req() request: FastifyRequest): Promise<void> {
    await this.revocation.revoke(
      tenant,
      request.headers.authorization,
      formBody(request),
      requestContext(request),
      requestNotes(request),
      clientCertificate(request, this.config),
    );
  }
}
