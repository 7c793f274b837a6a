import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PASSKEY_SCRIPT } from './passkey-script.js';

/** The ceremony script, below each tenant's issuer path (as the pages are); the same for every tenant. */
@Controller('t/:tenant/assets')
export class PasskeyScriptController {
  @Get('passkey.js')
  script(@Res() reply: FastifyReply): void {
    void reply
      .status(200)
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .header('cross-origin-resource-policy', 'same-origin')
      .send(PASSKEY_SCRIPT);
  }
}
