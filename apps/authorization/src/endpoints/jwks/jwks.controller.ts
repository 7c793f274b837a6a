import { Controller, Get, Header, Param, UseFilters } from '@nestjs/common';
import { OAuthJsonExceptionFilter } from '../../http/oauth-json.filter.js';
import { TenantKeyCache } from '@gatehouse/tokens';
import { TenantDirectory } from '../../tenancy/tenant-directory.js';

@Controller()
@UseFilters(OAuthJsonExceptionFilter)
export class JwksController {
  constructor(
    private readonly directory: TenantDirectory,
    private readonly keys: TenantKeyCache,
  ) {}

  /** Public keys only, including pre-published and not-yet-expired superseded ones. */
  @Get('t/:tenant/jwks')
  @Header('content-type', 'application/jwk-set+json')
  @Header('cache-control', 'public, max-age=300')
  async jwks(@Param('tenant') slug: string): Promise<unknown> {
    const tenant = await this.directory.tenant(slug);
    return this.keys.jwks(tenant.id);
  }
}
