import type { Tenant } from '@gatehouse/persistence';
import { REQUEST_OBJECT_ALGORITHMS } from '@gatehouse/protocol';

/**
 * RFC 9126 §5 and RFC 9101 §10.5: pushed authorization requests and request objects, each advertised
 * only where the tenant offers it. request_uri_parameter_supported stays false: a request_uri is a
 * pushed request's, never a URL this server would fetch (OIDC Core §6.2).
 */
export function authorizationRequestMetadata(
  tenant: Tenant,
  issuer: string,
  algorithms: readonly string[] = REQUEST_OBJECT_ALGORITHMS,
): Record<string, unknown> {
  const par = tenant.pushedAuthorizationRequests;
  const jar = tenant.requestObjects;
  return {
    ...(par === 'disabled'
      ? {}
      : { pushed_authorization_request_endpoint: `${issuer}/par`, require_pushed_authorization_requests: par === 'required' }),
    request_parameter_supported: jar !== 'disabled',
    ...(jar === 'disabled'
      ? {}
      : { request_object_signing_alg_values_supported: [...algorithms], require_signed_request_object: jar === 'required' }),
    request_uri_parameter_supported: false,
  };
}
