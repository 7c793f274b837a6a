import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidClientMetadata } from '@gatehouse/protocol';
import { OAuthJsonExceptionFilter } from '../../http/oauth-json.filter.js';
import { requestContext } from '../../http/request-context.js';
import { hasUnstorableText } from '../../http/storable-json.js';
import { RegistrationService, type RegisteredClient } from './registration.service.js';

@Controller('t/:tenant/register')
@UseFilters(OAuthJsonExceptionFilter)
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

  /** RFC 7591 §3.2.1: 201 with the client information. */
  @Post()
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  register(@Param('tenant') tenant: string, @Req() request: FastifyRequest, @Body() body: unknown): Promise<Record<string, unknown>> {
    return this.registration.register(tenant, request.headers.authorization, storable(body), requestContext(request));
  }

  /** RFC 7592 §2.1, with the ETag of the version read (for an If-Match on the update). */
  @Get(':clientId')
  @Header('cache-control', 'no-store')
  async read(
    @Param('tenant') tenant: string,
    @Param('clientId') clientId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    return withEtag(reply, await this.registration.read(tenant, clientId, request.headers.authorization));
  }

  @Put(':clientId')
  @Header('cache-control', 'no-store')
  async update(
    @Param('tenant') tenant: string,
    @Param('clientId') clientId: string,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
  ): Promise<Record<string, unknown>> {
    const updated = await this.registration.update(
      tenant,
      clientId,
      request.headers.authorization,
      storable(body),
      requestContext(request),
      request.headers['if-match'],
    );
    // RFC 9110 §9.3.4: no validator on a PUT response whose stored representation is not the body
    // sent (defaults filled, client_id and URIs added): the client reads the new ETag with GET.
    return updated.body;
  }

  @Delete(':clientId')
  @HttpCode(204)
  async remove(@Param('tenant') tenant: string, @Param('clientId') clientId: string, @Req() request: FastifyRequest): Promise<void> {
    await this.registration.delete(tenant, clientId, request.headers.authorization, requestContext(request), request.headers['if-match']);
  }
}

function withEtag(reply: FastifyReply, client: RegisteredClient): Record<string, unknown> {
  void reply.header('etag', client.etag);
  return client.body;
}

/** RFC 7591 §3.2.2: metadata holding NUL or a lone UTF-16 surrogate is invalid, not a database error. */
function storable(body: unknown): unknown {
  if (hasUnstorableText(body))
    throw new InvalidClientMetadata({
      hint: 'metadata must not contain NUL characters or lone UTF-16 surrogates, nor nest deeper than 32 levels',
    });
  return body;
}
