import { Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { AdminServices } from '../admin-services.js';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { ADMIN_SERVICES } from '../http/admin-services.token.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { Principal } from '../http/principal.decorator.js';

@AdminResource('admin/v1/tenants/:tenant/keys', 'keys')
export class KeysController {
  constructor(@Inject(ADMIN_SERVICES) private readonly services: AdminServices) {}

  /** Published signing keys (public metadata only). */
  @Get()
  async list(@Principal() principal: AdminPrincipal, @Param('tenant') slug: string): Promise<{ items: Record<string, unknown>[] }> {
    principal.requireTenantAdmin(slug);
    const keys = await this.services.keys.listPublished(slug);
    return {
      items: keys.map((key) => ({
        kid: key.kid,
        alg: key.alg,
        activates_at: key.activatesAt.toISOString(),
        expires_at: key.expiresAt?.toISOString() ?? null,
      })),
    };
  }

  @Post('rotate')
  @HttpCode(200)
  async rotate(@Principal() principal: AdminPrincipal, @Param('tenant') slug: string): Promise<Record<string, unknown>> {
    principal.requireTenantAdmin(slug);
    const rotated = await this.services.keys.rotate(slug, principal.subject);
    const keys = rotated.keys.map((key) => ({ kid: key.kid, alg: key.alg, activates_at: key.activatesAt.toISOString() }));
    return { tenant: rotated.tenant, keys };
  }
}
