import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { browserRequest } from '../../http/browser-request.js';
import { sendFlowOutcome } from '../../http/flow-reply.js';
import { formBody } from '../../http/form-body.js';
import { requestContext } from '../../http/request-context.js';
import { EndSessionService } from './end-session.service.js';

/** OIDC RP-Initiated Logout 1.0 §2: the OP supports both GET and POST at the end_session_endpoint. */
@Controller('t/:tenant/logout')
export class EndSessionController {
  constructor(private readonly endSession: EndSessionService) {}

  @Get()
  async viaQuery(@Param('tenant') tenant: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendFlowOutcome(reply, await this.endSession.request(tenant, request.query, browserRequest(request), requestContext(request)));
  }

  /**
   * A relying party's cross-site form POST arrives without our SameSite=Lax session
   * cookie, so it could not end the session. Re-issue it as a top-level GET (303),
   * which carries the cookie, with the same parameters.
   */
  @Post()
  viaForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const query = new URLSearchParams();
    const form = formBody(request);
    const body = typeof form === 'object' && form !== null ? (form as Record<string, unknown>) : {};
    for (const [name, value] of Object.entries(body)) if (typeof value === 'string') query.append(name, value);
    const path = request.url.split('?')[0] ?? '';
    void reply
      .status(303)
      .header('location', query.size > 0 ? `${path}?${query.toString()}` : path)
      .header('cache-control', 'no-store')
      .send();
  }

  @Post('confirm')
  async confirm(@Param('tenant') tenant: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendFlowOutcome(reply, await this.endSession.confirm(tenant, formBody(request), browserRequest(request), requestContext(request)));
  }
}
