import type { Client } from '@gatehouse/persistence';
import { InvalidRequest } from '@gatehouse/protocol';
import type { AuthorizeDraft } from '../authorization-request.js';

/**
 * RFC 9126 §5/§6 `require_pushed_authorization_requests` and RFC 9101 §10.5
 * `require_signed_request_object`, set on the tenant (every client) or on one client.
 */
export function checkRequestRequirements(draft: AuthorizeDraft): void {
  const { tenant } = draft;
  const client = draft.client as Client;
  if (!draft.pushed && (tenant.pushedAuthorizationRequests === 'required' || client.requirePushedAuthorizationRequests))
    throw new InvalidRequest({ hint: 'authorization requests must be pushed (RFC 9126)' });
  if (!draft.signed && (tenant.requestObjects === 'required' || client.requireSignedRequestObject))
    throw new InvalidRequest({ hint: 'authorization requests must be signed request objects (RFC 9101)' });
}
