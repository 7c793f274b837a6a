import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { browserRequest } from '../../http/browser-request.js';
import { sendFlowOutcome } from '../../http/flow-reply.js';
import { formBody } from '../../http/form-body.js';
import { requestContext } from '../../http/request-context.js';
import { AuthorizeService } from './authorize.service.js';

/** OAuth 2.1 §4.1.1: GET with query parameters, or POST with a form body. */
@Controller('t/:tenant/authorize')
export class AuthorizeController {
  constructor(private readonly authorizeService: AuthorizeService) {}

  @Get()
  async viaQuery(@Param('tenant') tenant: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendFlowOutcome(reply, await this.authorizeService.authorize(tenant, request.query, browserRequest(request), requestContext(request)));
  }

  @Post()
  async viaForm(@Param('tenant') tenant: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendFlowOutcome(
      reply,
      await this.authorizeService.authorize(tenant, formBody(request), browserRequest(request), requestContext(request)),
    );
  }
}
