import { REQUEST_OBJECT_ALGORITHMS } from '../request-object/verify-request-object.js';
import type { MetadataFields } from './metadata-fields.js';

/** How the client's authorization requests must arrive: pushed (RFC 9126 §6), signed (RFC 9101 §10.5), and with which algorithm. */
export interface RequestMetadata {
  readonly requirePushedAuthorizationRequests: boolean;
  readonly requireSignedRequestObject: boolean;
  readonly requestObjectSigningAlg: string | null;
}

/** A required or pinned request object needs the client's keys: jwks must be registered too. */
export function requestMetadataOf(fields: MetadataFields, hasJwks: boolean): RequestMetadata {
  const requirePushedAuthorizationRequests = fields.boolean('require_pushed_authorization_requests') ?? false;
  const requireSignedRequestObject = fields.boolean('require_signed_request_object') ?? false;
  const alg = fields.string('request_object_signing_alg');
  if (alg !== undefined && !(REQUEST_OBJECT_ALGORITHMS as readonly string[]).includes(alg))
    fields.problem('request_object_signing_alg', `request_object_signing_alg must be one of ${REQUEST_OBJECT_ALGORITHMS.join(', ')}`);
  if ((requireSignedRequestObject || alg !== undefined) && !hasJwks)
    fields.problem('jwks', 'signed request objects need a public JWK Set (jwks)');
  return { requirePushedAuthorizationRequests, requireSignedRequestObject, requestObjectSigningAlg: alg ?? null };
}

/** Whether the client may register a JWK Set for its request objects without private_key_jwt. */
export function wantsRequestObjectKeys(fields: MetadataFields): boolean {
  return fields.has('request_object_signing_alg') || fields.boolean('require_signed_request_object') === true;
}
