import { parseAcrValues, type AuthorizationDetail } from '@gatehouse/protocol';
import type { Client, Tenant } from '@gatehouse/persistence';
import type { Params } from '../../http/request-params.js';

/** An authorization request that passed every check; stored with its interaction. */
export interface ValidatedAuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly state?: string | undefined;
  readonly nonce?: string | undefined;
  readonly codeChallenge: string;
  /** RFC 9449 §10: the thumbprint of the key that must redeem the code. */
  readonly dpopJkt?: string | undefined;
  readonly resource?: string | undefined;
  readonly prompt: readonly string[];
  readonly maxAge?: number | undefined;
  readonly loginHint?: string | undefined;
  /** OIDC Core §3.1.2.1: the languages the client would like the pages in, in order. */
  readonly uiLocales?: string | undefined;
  /** OIDC Core §3.1.2.1 `acr_values`: `urn:gatehouse:acr:mfa` requires the second factor. */
  readonly acrValues?: readonly string[] | undefined;
  /**
   * RFC 8628: the sign-in approves (or denies) this device authorization instead of issuing a code;
   * there is no redirect URI, and the consent is always asked (§5.4).
   */
  readonly device?: { readonly authorizationId: string } | undefined;
  /** RFC 9396: what the client asks to do, beyond scopes; shown at consent, carried by the tokens. */
  readonly authorizationDetails?: readonly AuthorizationDetail[] | undefined;
}

/** What the checks build up, one field at a time, in pipeline order. */
export interface AuthorizeDraft {
  readonly tenant: Tenant;
  readonly issuer: string;
  /** The query's, until a pushed request or a request object replaces them (RFC 9126 §4, RFC 9101 §5). */
  params: Params;
  /** The parameters came from a pushed authorization request (RFC 9126). */
  pushed?: boolean;
  /** The parameters came from a verified request object (RFC 9101). */
  signed?: boolean;
  client?: Client;
  redirectUri?: string;
  scopes?: string[];
  codeChallenge?: string;
  dpopJkt?: string;
  resource?: string;
  prompt?: string[];
  maxAge?: number;
  authorizationDetails?: AuthorizationDetail[] | undefined;
}

export function toValidatedRequest(draft: AuthorizeDraft): ValidatedAuthorizationRequest {
  const { client, redirectUri, scopes, codeChallenge, prompt } = draft;
  if (!client || !redirectUri || !scopes || !codeChallenge || !prompt) throw new Error('authorize pipeline incomplete');
  return {
    clientId: client.clientId,
    redirectUri,
    scopes,
    state: draft.params['state'],
    nonce: draft.params['nonce'],
    codeChallenge,
    dpopJkt: draft.dpopJkt,
    resource: draft.resource,
    prompt,
    maxAge: draft.maxAge,
    loginHint: draft.params['login_hint']?.slice(0, 256),
    uiLocales: draft.params['ui_locales']?.slice(0, 256),
    acrValues: parseAcrValues(draft.params['acr_values']),
    ...(draft.authorizationDetails ? { authorizationDetails: draft.authorizationDetails } : {}),
  };
}
