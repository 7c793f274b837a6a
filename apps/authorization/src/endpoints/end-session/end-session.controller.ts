import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendFlowOutcome } from '../../http/flow-reply.js';
import { requestContext } from '../../http/request-context.js';
import { EndSessionService } from './end-session.service.js';

/** OIDC RP-Initiated Logout 1.0 §2: the OP supports both GET and POST at the end_session_endpoint. */
@Controller('t/:tenant/logout')
export class EndSessionController {
  constructor(private readonly endSession: EndSessionService) {}

  @Get()
  async viaQuery(@Param('tenant') tenant: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendFlowOutcome(reply, await this.endSession.request(tenant, request.query, request.headers.cookie, requestContext(request)));
  }

  @Post()
  async viaForm(@Param('tenant') tenant: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendFlowOutcome(reply, await this.endSession.request(tenant, request.body, request.headers.cookie, requestContext(request)));
  }

  @Post('confirm')
  async confirm(@Param('tenant') tenant: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendFlowOutcome(reply, await this.endSession.confirm(tenant, request.body, request.headers.cookie, requestContext(request)));
  }
}
