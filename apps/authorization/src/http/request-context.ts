import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '@gatehouse/audit';

/** The client IP honours X-Forwarded-For only from TRUSTED_PROXIES (Fastify's trustProxy). */
export function requestContext(request: FastifyRequest): RequestContext {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : undefined };
}

export function isSecureRequest(publicUrl: string): boolean {
  return publicUrl.startsWith('https://');
}
