import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { AccessTokenValidator, bearerTokenFrom, type ValidatedClaims } from './access-token-validator.js';

export const BEARER_STRATEGY = 'gatehouse-bearer';
export const ACCESS_TOKEN_VALIDATOR = Symbol('ACCESS_TOKEN_VALIDATOR');

/** Passport strategy: the request's bearer token, validated; the claims become `request.user`. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, BEARER_STRATEGY) {
  constructor(@Inject(ACCESS_TOKEN_VALIDATOR) private readonly validator: AccessTokenValidator) {
    super();
  }

  async validate(request: FastifyRequest): Promise<ValidatedClaims> {
    return this.validator.validate(bearerTokenFrom(request.headers.authorization));
  }
}
