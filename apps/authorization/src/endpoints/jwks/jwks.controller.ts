import { Controller, Get, Header, Param, UseFilters } from '@nestjs/common';
import { OAuthJsonExceptionFilter } from '../../http/oauth-json.filter.js';
import { AuthorizationRuntime } from '../../runtime/authorization-runtime.js';

@Controller()
@UseFilters(OAuthJsonExceptionFilter)
export class JwksController {
  constructor(private readonly runtime: AuthorizationRuntime) {}

  /** Public keys only, including pre-published and not-yet-expired superseded ones. */
  @Get('t/:tenant/jwks')
  @Header('content-type', 'application/jwk-set+json')
  @Header('cache-control', 'public, max-age=300')
  async jwks(@Param('tenant') slug: string): Promise<unknown> {
    const tenant = await this.runtime.tenant(slug);
    return this.runtime.keys.jwks(tenant.id);
  }
}
