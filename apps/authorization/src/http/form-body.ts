import type { FastifyRequest } from 'fastify';
import { InvalidRequest } from '@gatehouse/protocol';

const FORM = 'application/x-www-form-urlencoded';

/**
 * The parsed body of a POST to an OAuth endpoint. RFC 6749 §3.2 (and §2.3.1, RFC 7009 §2.1, RFC 7662
 * §2.1, OIDC Core §3.1.2.1 for POST /authorize): parameters travel as application/x-www-form-urlencoded.
 * Any other media type (JSON included) is invalid_request; `optional` lets a POST without a body through
 * (userinfo, where the token can be in the Authorization header).
 */
export function formBody(request: FastifyRequest, options: { readonly optional?: boolean } = {}): unknown {
  const contentType = request.headers['content-type'];
  if (contentType === undefined && options.optional === true && isEmpty(request.body)) return undefined;
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType !== FORM) throw new InvalidRequest({ hint: `the request body must be ${FORM}` });
  return request.body;
}

function isEmpty(body: unknown): boolean {
  return body === undefined || body === null || body === '';
}
