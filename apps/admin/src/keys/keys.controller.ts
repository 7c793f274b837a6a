import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { SIGNING_ALGORITHMS } from '@gatehouse/tokens';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { AdminResource } from '../http/admin-resource.decorator.js';
import { Principal } from '../http/principal.decorator.js';
import { queryEnum } from '../http/query-filters.js';
import { TenantRole } from '../http/tenant-role.guard.js';
import { KeyService } from './key.service.js';

const KEY_PROPERTIES = {
  kid: { type: 'string' },
  alg: { type: 'string', enum: [...SIGNING_ALGORITHMS] },
  activates_at: { type: 'string', format: 'date-time' },
};
const KEYS_SCHEMA = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: { type: 'object', properties: { ...KEY_PROPERTIES, expires_at: { type: 'string', format: 'date-time', nullable: true } } },
    },
  },
};
const ROTATED_SCHEMA = {
  type: 'object',
  properties: { tenant: { type: 'string' }, keys: { type: 'array', items: { type: 'object', properties: KEY_PROPERTIES } } },
};

@AdminResource('admin/v1/tenants/:tenant/keys', 'keys')
export class KeysController {
  constructor(private readonly keys: KeyService) {}

  /** Published signing keys (public metadata only). */
  @Get()
  @ApiOperation({ summary: 'Published signing keys, newest activation first (a handful per algorithm: not paginated)' })
  @ApiQuery({ name: 'alg', required: false, enum: [...SIGNING_ALGORITHMS] })
  @ApiOkResponse({ schema: KEYS_SCHEMA })
  @TenantRole('tenant_admin')
  async list(@Param('tenant') slug: string, @Query() query: Record<string, unknown>): Promise<{ items: Record<string, unknown>[] }> {
    const keys = await this.keys.listPublished(slug, queryEnum(query, 'alg', SIGNING_ALGORITHMS));
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
  @ApiOperation({ summary: 'Rotate the signing keys: new keys for the access-token algorithm and RS256, published before use' })
  @ApiOkResponse({ schema: ROTATED_SCHEMA })
  @TenantRole('tenant_admin')
  async rotate(@Principal() principal: AdminPrincipal, @Param('tenant') slug: string): Promise<Record<string, unknown>> {
    const rotated = await this.keys.rotate(slug, principal.subject);
    const keys = rotated.keys.map((key) => ({ kid: key.kid, alg: key.alg, activates_at: key.activatesAt.toISOString() }));
    return { tenant: rotated.tenant, keys };
  }
}
