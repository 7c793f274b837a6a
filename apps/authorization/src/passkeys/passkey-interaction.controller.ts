import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { browserRequest } from '../http/browser-request.js';
import { sendFlowOutcome } from '../http/flow-reply.js';
import { formBody } from '../http/form-body.js';
import { requestContext } from '../http/request-context.js';
import { singleValuedParams } from '../http/request-params.js';
import type { FlowOutcome } from '../interaction/flow-outcome.js';
import { PasskeyInteractionService } from './passkey-interaction.service.js';

/** The passkey forms of a sign-in: each posts the credential's JSON in `response`, with the CSRF token. */
@Controller('t/:tenant/interaction/:handle')
export class PasskeyInteractionController {
  constructor(private readonly passkeys: PasskeyInteractionService) {}

  @Post('second-factor/passkey')
  async secondFactor(
    @Param('tenant') tenant: string,
    @Param('handle') handle: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    send(reply, await this.passkeys.secondFactor(tenant, handle, formOf(request), browserRequest(request), requestContext(request)));
  }

  @Post('enrol/passkey')
  async enrol(
    @Param('tenant') tenant: string,
    @Param('handle') handle: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    send(reply, await this.passkeys.enrol(tenant, handle, formOf(request), browserRequest(request), requestContext(request)));
  }

  @Post('login/passkey')
  async passwordless(
    @Param('tenant') tenant: string,
    @Param('handle') handle: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    send(reply, await this.passkeys.passwordless(tenant, handle, formOf(request), browserRequest(request), requestContext(request)));
  }
}

/** RFC 9110 §10.2.3 Retry-After on a throttled post. */
function send(reply: FastifyReply, outcome: FlowOutcome): void {
  if (outcome.kind === 'page' && outcome.retryAfterSeconds !== undefined)
    void reply.header('retry-after', String(outcome.retryAfterSeconds));
  sendFlowOutcome(reply, outcome);
}

function formOf(request: FastifyRequest): Record<string, string | undefined> {
  try {
    return singleValuedParams(formBody(request));
  } catch {
    return {};
  }
}
