import { Controller, Get, Header, Param, UseFilters } from '@nestjs/common';
import { OAuthJsonExceptionFilter } from '../../http/oauth-json.filter.js';
import { DiscoveryService } from './discovery.service.js';

@Controller()
@UseFilters(OAuthJsonExceptionFilter)
export class DiscoveryController {
  constructor(private readonly discovery: DiscoveryService) {}

  @Get('t/:tenant/.well-known/openid-configuration')
  @Header('cache-control', 'public, max-age=300')
  openidConfiguration(@Param('tenant') tenant: string): Promise<Record<string, unknown>> {
    return this.discovery.metadata(tenant);
  }

  /** RFC 8414 §3.1: the well-known segment is inserted before the issuer's path. */
  @Get('.well-known/oauth-authorization-server/t/:tenant')
  @Header('cache-control', 'public, max-age=300')
  authorizationServerMetadata(@Param('tenant') tenant: string): Promise<Record<string, unknown>> {
    return this.discovery.metadata(tenant);
  }
}
