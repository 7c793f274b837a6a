import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { Controller, Inject, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { sendFlowOutcome } from '../../http/flow-reply.js';
import { page } from '../../interaction/pages.js';
import { renderHomePage } from '../../interaction/views/index.js';
import type { GatehouseConfig } from '@gatehouse/config';

/** `/`: a small page saying what this server is, with the strict headers of every page. */
@Controller()
export class HomeController {
  constructor(@Inject(GATEHOUSE_CONFIG) private readonly config: GatehouseConfig) {}

  @Get()
  home(@Res() reply: FastifyReply): void {
    const publicUrl = this.config.publicUrl;
    sendFlowOutcome(
      reply,
      page({ locale: 'en' }, 200, (chrome) => renderHomePage(chrome, publicUrl)),
    );
  }
}
