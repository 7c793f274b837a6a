import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { browserRequest } from '../http/browser-request.js';
import { sendFlowOutcome } from '../http/flow-reply.js';
import { formBody } from '../http/form-body.js';
import { requestContext } from '../http/request-context.js';
import { singleValuedParams } from '../http/request-params.js';
import type { FlowOutcome } from './flow-outcome.js';
import { InteractionService } from './interaction.service.js';

@Controller('t/:tenant/interaction/:handle')
export class InteractionController {
  constructor(private readonly interactions: InteractionService) {}

  @Get()
  async show(
    @Param('tenant') tenant: string,
    @Param('handle') handle: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendFlowOutcome(reply, await this.interactions.show(tenant, handle, browserRequest(request)));
  }

  @Post('login')
  async login(
    @Param('tenant') tenant: string,
    @Param('handle') handle: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendWithRetryAfter(
      reply,
      await this.interactions.login(tenant, handle, formOf(request), browserRequest(request), requestContext(request)),
    );
  }

  @Post('second-factor')
  async secondFactor(
    @Param('tenant') tenant: string,
    @Param('handle') handle: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.interactions.secondFactorCode(
      tenant,
      handle,
      formOf(request),
      browserRequest(request),
      requestContext(request),
    );
    sendWithRetryAfter(reply, outcome);
  }

  @Post('enrol')
  async enrol(
    @Param('tenant') tenant: string,
    @Param('handle') handle: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendWithRetryAfter(
      reply,
      await this.interactions.enrol(tenant, handle, formOf(request), browserRequest(request), requestContext(request)),
    );
  }

  @Post('continue')
  async continueSignIn(
    @Param('tenant') tenant: string,
    @Param('handle') handle: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendFlowOutcome(
      reply,
      await this.interactions.continueSignIn(tenant, handle, formOf(request), browserRequest(request), requestContext(request)),
    );
  }

  /** prompt=select_account: go on as the account already signed in. */
  @Post('continue-as')
  async continueAs(
    @Param('tenant') tenant: string,
    @Param('handle') handle: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendFlowOutcome(
      reply,
      await this.interactions.continueAs(tenant, handle, formOf(request), browserRequest(request), requestContext(request)),
    );
  }

  @Post('consent')
  async consent(
    @Param('tenant') tenant: string,
    @Param('handle') handle: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendFlowOutcome(
      reply,
      await this.interactions.consent(tenant, handle, formOf(request), browserRequest(request), requestContext(request)),
    );
  }
}

/** A throttled form post (RFC 9110 §10.2.3 Retry-After on the 429). */
function sendWithRetryAfter(reply: FastifyReply, outcome: FlowOutcome): void {
  if (outcome.kind === 'page' && outcome.retryAfterSeconds !== undefined)
    void reply.header('retry-after', String(outcome.retryAfterSeconds));
  sendFlowOutcome(reply, outcome);
}

function formOf(request: FastifyRequest): Record<string, string | undefined> {
  const body = formBody(request);
  try {
    return singleValuedParams(body);
  } catch {
    return {};
  }
}
