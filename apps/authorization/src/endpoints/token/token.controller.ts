import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { Controller, Inject, Header, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestNotes } from '@gatehouse/observability';
import { formBody } from '../../http/form-body.js';
import { OAuthJsonExceptionFilter } from '../../http/oauth-json.filter.js';
import { clientCertificate } from '../../http/client-certificate.js';
import { requestContext } from '../../http/request-context.js';
import type { GatehouseConfig } from '@gatehouse/config';
import type { TokenResponse } from './grants/grant-handler.js';
import { TokenService } from './token.service.js';

@Controller('t/:tenant/token')
@UseFilters(OAuthJsonExceptionFilter)
export class TokenController {
  constructor(
    private readonly tokens: TokenService,
    @Inject(GATEHOUSE_CONFIG) private readonly config: GatehouseConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  exchange(
    @Param('tenant') tenant: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse> {
    const dpop = { header: request.headers.dpop, sendNonce: (nonce: string) => void reply.header('dpop-nonce', nonce) };
    return this.tokens.exchange(
      tenant,
      request.headers.authorization,
      formBody(request),
      requestContext(request),
      requestNotes(request),
      dpop,
      clientCertificate(request, this.config),
    );
  }
}
