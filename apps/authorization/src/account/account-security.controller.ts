import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { browserRequest } from '../http/browser-request.js';
import { sendFlowOutcome } from '../http/flow-reply.js';
import { formBody } from '../http/form-body.js';
import { requestContext } from '../http/request-context.js';
import { singleValuedParams } from '../http/request-params.js';
import { AccountSecurityService } from './account-security.service.js';

/** The signed-in person's security page: passkeys listed, added and removed. */
@Controller('t/:tenant/account/security')
export class AccountSecurityController {
  constructor(private readonly security: AccountSecurityService) {}

  @Get()
  async show(@Param('tenant') tenant: string, @Query('done') done: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    sendFlowOutcome(reply, await this.security.show(tenant, browserRequest(request), done));
  }

  @Post('passkeys')
  async add(@Param('tenant') tenant: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    sendFlowOutcome(reply, await this.security.add(tenant, formOf(request), browserRequest(request), requestContext(request)));
  }

  @Post('passkeys/:id/remove')
  async remove(@Param('tenant') tenant: string, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    sendFlowOutcome(reply, await this.security.remove(tenant, id, formOf(request), browserRequest(request), requestContext(request)));
  }
}

function formOf(request: FastifyRequest): Record<string, string | undefined> {
  try {
    return singleValuedParams(formBody(request));
  } catch {
    return {};
  }
}
