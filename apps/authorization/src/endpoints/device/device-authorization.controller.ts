import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { Controller, Inject, Header, HttpCode, Param, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { requestNotes } from '@gatehouse/observability';
import { clientCertificate } from '../../http/client-certificate.js';
import { formBody } from '../../http/form-body.js';
import { OAuthJsonExceptionFilter } from '../../http/oauth-json.filter.js';
import { requestContext } from '../../http/request-context.js';
import type { GatehouseConfig } from '@gatehouse/config';
import { DeviceAuthorizationService, type DeviceAuthorizationResponse } from './device-authorization.service.js';

/** RFC 8628 §3.1: the device authorization endpoint. */
@Controller('t/:tenant/device_authorization')
@UseFilters(OAuthJsonExceptionFilter)
export class DeviceAuthorizationController {
  constructor(
    private readonly devices: DeviceAuthorizationService,
    @Inject(GATEHOUSE_CONFIG) private readonly config: GatehouseConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  start(@Param('tenant') tenant: string, @Req() request: FastifyRequest): Promise<DeviceAuthorizationResponse> {
    return this.devices.start(
      tenant,
      request.headers.authorization,
      formBody(request),
      requestContext(request),
      requestNotes(request),
      clientCertificate(request, this.config),
    );
  }
}
