import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { sendFlowOutcome } from '../../http/flow-reply.js';
import { page } from '../../interaction/pages.js';
import { renderHomePage } from '../../interaction/views/index.js';
import { AuthorizationRuntime } from '../../runtime/authorization-runtime.js';

/** `/`: a small page saying what this server is, with the strict headers of every page. */
@Controller()
export class HomeController {
  constructor(private readonly runtime: AuthorizationRuntime) {}

  @Get()
  home(@Res() reply: FastifyReply): void {
    const publicUrl = this.runtime.config.publicUrl;
    sendFlowOutcome(
      reply,
      page({ locale: 'en' }, 200, (chrome) => renderHomePage(chrome, publicUrl)),
    );
  }
}
