import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
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
      certificate: tlsClientCertificate(request),
    });
  }
}

/** The certificate of a TLS connection this process terminated itself (RFC 8705); none behind a proxy. */
function tlsClientCertificate(request: FastifyRequest): X509Certificate | undefined {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (socket.encrypted !== true || typeof socket.getPeerCertificate !== 'function') return undefined;
  const raw = socket.getPeerCertificate(false).raw;
  return raw && raw.length > 0 ? new X509Certificate(raw) : undefined;
}
