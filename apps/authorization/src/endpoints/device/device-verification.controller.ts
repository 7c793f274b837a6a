import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { browserRequest } from '../../http/browser-request.js';
import { sendFlowOutcome } from '../../http/flow-reply.js';
import { formBody } from '../../http/form-body.js';
import { requestContext } from '../../http/request-context.js';
import { singleValuedParams } from '../../http/request-params.js';
import { DeviceVerificationService } from './device-verification.service.js';

/** RFC 8628 §3.3: verification_uri, where the person enters the user code. */
@Controller('t/:tenant/device')
export class DeviceVerificationController {
  constructor(private readonly verification: DeviceVerificationService) {}

  @Get()
  async show(
    @Param('tenant') tenant: string,
    @Query() query: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendFlowOutcome(reply, await this.verification.show(tenant, singleValuedParams(query), browserRequest(request)));
  }

  @Post()
  async submit(@Param('tenant') tenant: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.verification.submit(
      tenant,
      singleValuedParams(formBody(request)),
      browserRequest(request),
      requestContext(request),
    );
    sendFlowOutcome(reply, outcome);
  }
}
