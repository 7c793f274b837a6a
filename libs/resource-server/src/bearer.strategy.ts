import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { AccessTokenValidator, type ValidatedClaims } from './access-token-validator.js';

export const BEARER_STRATEGY = 'gatehouse-bearer';
export const ACCESS_TOKEN_VALIDATOR = Symbol('ACCESS_TOKEN_VALIDATOR');

/** Passport strategy: the request's Bearer or DPoP token (with its proof), validated; the claims become `request.user`. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, BEARER_STRATEGY) {
  constructor(@Inject(ACCESS_TOKEN_VALIDATOR) private readonly validator: AccessTokenValidator) {
    super();
  }

  async validate(request: FastifyRequest): Promise<ValidatedClaims> {
    return this.validator.validateRequest({
      authorization: request.headers.authorization,
      dpop: request.headers.dpop,
      method: request.method,
      path: request.url,
    });
  }
}
