import { Inject, Injectable, type Type } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import type { ValidatedClaims } from './access-token-validator.js';
import type { ResourceServer } from './resource-server.js';
import { tlsClientCertificate } from './tls-certificate.js';

export const BEARER_STRATEGY = 'gatehouse-bearer';
export const RESOURCE_SERVER = Symbol('RESOURCE_SERVER');

/** Injection token of the name a ResourceServerModule registered its strategy under (one per module). */
export const BEARER_STRATEGY_NAME = Symbol('BEARER_STRATEGY_NAME');

/**
 * The Passport strategy under `name`: the request's Bearer or DPoP token (with its proof), validated;
 * the claims become `request.user`. Passport keeps strategies in one process-wide registry by name, so
 * each ResourceServerModule registers its own, and two in one process never answer with the other's
 * issuer, audience or keys.
 */
export function bearerStrategyNamed(name: string): Type<{ validate(request: FastifyRequest): Promise<ValidatedClaims> }> {
  @Injectable()
  class NamedBearerStrategy extends PassportStrategy(Strategy, name) {
    constructor(@Inject(RESOURCE_SERVER) private readonly server: ResourceServer) {
      super();
    }

    async validate(request: FastifyRequest): Promise<ValidatedClaims> {
      return this.server.authenticate({
        authorization: request.headers.authorization,
        dpop: request.headers.dpop,
        method: request.method,
        path: request.url,
        certificate: tlsClientCertificate(request.raw.socket),
      });
    }
  }
  return NamedBearerStrategy;
}

/**
 * The strategy under `BEARER_STRATEGY`, for an app that wires Passport itself (one resource server per
 * process); its `BearerAuthGuard` then needs `{ provide: BEARER_STRATEGY_NAME, useValue: BEARER_STRATEGY }`.
 */
export const BearerStrategy = bearerStrategyNamed(BEARER_STRATEGY);
