import { Controller, Get, Module, Req, UseGuards, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { BearerAuthGuard, RequireScopes, ResourceServerModule } from '@gatehouse/resource-server/nest';

export interface OrdersApiOptions {
  /** The Gatehouse tenant's issuer, `http://localhost:3000/t/demo`. */
  readonly issuer: string;
  /** The API identifier registered in Gatehouse (the tokens' audience), `http://localhost:4000`. */
  readonly audience: string;
}

interface AuthenticatedRequest {
  readonly user: { readonly sub: string; readonly client_id?: string; readonly scope?: string };
}

@Controller('orders')
@UseGuards(BearerAuthGuard)
class OrdersController {
  @Get()
  @RequireScopes('orders:read')
  list(@Req() request: AuthenticatedRequest): Record<string, unknown> {
    return {
      orders: [
        { id: 'A-1001', item: 'Espresso beans, 1 kg', status: 'shipped' },
        { id: 'A-1002', item: 'Burr grinder', status: 'processing' },
      ],
      subject: request.user.sub,
      client: request.user.client_id ?? null,
    };
  }
}

function ordersModule(options: OrdersApiOptions): DynamicModule {
  @Module({})
  class OrdersApiModule {}
  return {
    module: OrdersApiModule,
    imports: [
      ResourceServerModule.forRoot({
        issuer: options.issuer,
        audience: options.audience,
        keys: new URL(`${options.issuer}/jwks`),
        // RFC 9728: /.well-known/oauth-protected-resource, named in every 401 challenge.
        metadata: { scopesSupported: ['orders:read'], resourceName: 'Orders (example)' },
      }),
    ],
    controllers: [OrdersController],
  };
}

/** A minimal NestJS API protected by Gatehouse access tokens: GET /orders needs `orders:read`. */
export async function createOrdersApi(options: OrdersApiOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(ordersModule(options), new FastifyAdapter(), { logger: ['error'] });
  await app.init();
  return app;
}
