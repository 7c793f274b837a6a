import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import type { ValidatedClaims } from './access-token-validator.js';
import type { ResourceServer } from './resource-server.js';
import { tlsClientCertificate } from './tls-certificate.js';

export const BEARER_STRATEGY = 'gatehouse-bearer';
export const RESOURCE_SERVER = Symbol('RESOURCE_SERVER');

/** Passport strategy: the request's Bearer or DPoP token (with its proof), validated; the claims become `request.user`. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, BEARER_STRATEGY) {
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
