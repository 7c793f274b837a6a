import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { CLIENT_ASSERTION_ALGORITHMS } from '../client-auth/verify-client-assertion.js';

/** RFC 9101 §10.1: signed with the client's key, so asymmetric only; `none` and MAC algorithms never. */
export const REQUEST_OBJECT_ALGORITHMS = CLIENT_ASSERTION_ALGORITHMS;

/** A request object that lives longer than this is refused (FAPI 2.0 Message Signing §5.3.1: 60 minutes). */
export const MAX_REQUEST_OBJECT_LIFETIME_SECONDS = 3_600;
const CLOCK_SKEW_SECONDS = 30;

/** RFC 9101 §10.8: the explicit type, or a plain JWT from clients that predate it; any other type is another JWT. */
const ACCEPTED_TYPES = new Set([undefined, 'oauth-authz-req+jwt', 'JWT']);
/** JWT claims that frame the request object and are not authorization request parameters. */
const FRAMING_CLAIMS = new Set(['iss', 'aud', 'exp', 'nbf', 'iat', 'jti', 'sub']);

export interface RequestObjectClient {
  readonly clientId: string;
  readonly jwks: { keys: Record<string, unknown>[] } | null;
  /** The client's registered `request_object_signing_alg`, if any. */
  readonly requestObjectSigningAlg: string | null;
}

export type RequestObjectResult =
  { readonly ok: true; readonly params: Readonly<Record<string, string>> } | { readonly ok: false; readonly reason: string };

/**
 * RFC 9101 §6: a signed request object of this client, for this issuer, short-lived. Its claims
 * become the authorization request's parameters (strings; numbers such as max_age as their
 * decimal text). The reason for a refusal is for the log; the client gets invalid_request_object.
 */
export async function verifyRequestObject(
  jwt: string,
  client: RequestObjectClient,
  issuer: string,
  now: Date,
  /** A narrower allow-list than REQUEST_OBJECT_ALGORITHMS (a FAPI 2.0 tenant: ES256, PS256, EdDSA). */
  allowedAlgorithms: readonly string[] = REQUEST_OBJECT_ALGORITHMS,
): Promise<RequestObjectResult> {
  if (jwt.split('.').length !== 3) return refused('not a signed JWT (encrypted request objects are not supported)');
  if (client.jwks === null || client.jwks.keys.length === 0) return refused('the client has no registered JWK Set');
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(jwt).typ;
  } catch {
    return refused('the JOSE header is malformed');
  }
  if (!ACCEPTED_TYPES.has(typ as string | undefined)) return refused(`typ ${String(typ)} is not a request object`);

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, createLocalJWKSet(client.jwks), {
      algorithms: (client.requestObjectSigningAlg ? [client.requestObjectSigningAlg] : [...REQUEST_OBJECT_ALGORITHMS]).filter((alg) =>
        allowedAlgorithms.includes(alg),
      ),
      issuer: client.clientId,
      audience: issuer,
      requiredClaims: ['exp'],
      currentDate: now,
      clockTolerance: CLOCK_SKEW_SECONDS,
    }));
  } catch (error) {
    return refused(`verification failed: ${describe(error)}`);
  }
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if ((payload.exp ?? 0) > nowSeconds + MAX_REQUEST_OBJECT_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS)
    return refused(`exp is more than ${MAX_REQUEST_OBJECT_LIFETIME_SECONDS}s in the future`);
  if (payload.iat !== undefined && payload.iat > nowSeconds + CLOCK_SKEW_SECONDS) return refused('iat is in the future');
  return parametersOf(payload, client.clientId);
}

/** RFC 9101 §4: every other claim is a parameter; client_id, when present, is this client's; no nesting. */
function parametersOf(payload: JWTPayload, clientId: string): RequestObjectResult {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (FRAMING_CLAIMS.has(name)) continue;
    if (name === 'request' || name === 'request_uri') return refused(`a request object may not contain ${name}`);
    if (typeof value === 'string') params[name] = value;
    else if (typeof value === 'number' && Number.isInteger(value)) params[name] = String(value);
    // RFC 9396 §3: in a request object authorization_details is the JSON array itself.
    else if (name === 'authorization_details' && Array.isArray(value)) params[name] = JSON.stringify(value);
    else return refused(`claim ${name} is not a string parameter`);
  }
  if (params['client_id'] !== undefined && params['client_id'] !== clientId) return refused('client_id does not match iss');
  params['client_id'] = clientId;
  return { ok: true, params };
}

function refused(reason: string): RequestObjectResult {
  return { ok: false, reason };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}
