import type { FastifyReply } from 'fastify';
import type { FlowOutcome } from '../interaction/flow-outcome.js';
import { pageSecurityHeaders } from '../interaction/views/index.js';

/**
 * Writes a flow outcome: a 303 See Other (so a POSTed form becomes a GET at the
 * client) or a page with the strict headers every HTML response carries.
 */
export function sendFlowOutcome(reply: FastifyReply, outcome: FlowOutcome): void {
  if (outcome.setCookies.length > 0) void reply.header('set-cookie', [...outcome.setCookies]);
  if (outcome.kind === 'redirect') {
    void reply
      .status(303)
      .header('location', outcome.location)
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .send();
    return;
  }
  // RFC 9110 §10.2.3: a throttled page says when to come back.
  if (outcome.retryAfterSeconds !== undefined) void reply.header('retry-after', String(outcome.retryAfterSeconds));
  void reply.status(outcome.status).headers(pageSecurityHeaders(outcome.nonce, outcome.imageOrigins)).send(outcome.html);
}
