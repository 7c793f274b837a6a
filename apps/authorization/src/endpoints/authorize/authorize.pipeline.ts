import type { Persistence } from '@gatehouse/persistence';
import type { ApiCache } from '../../tenancy/api-cache.js';
import type { ClientCache } from '../../tenancy/client-cache.js';
import type { AuthorizeDraft } from './authorization-request.js';
import { checkAuthorizationDetails } from './checks/check-authorization-details.js';
import { checkClient } from './checks/check-client.js';
import { checkDpopJkt } from './checks/check-dpop-jkt.js';
import { checkPkce } from './checks/check-pkce.js';
import { checkPrompt } from './checks/check-prompt.js';
import { checkRedirectUri } from './checks/check-redirect-uri.js';
import { checkRequestRequirements } from './checks/check-request-requirements.js';
import { checkRequestUri, checkRequestUriWithoutRedirectUri } from './checks/check-request-uri.js';
import { checkResource } from './checks/check-resource.js';
import { checkResponseType } from './checks/check-response-type.js';
import { checkScope } from './checks/check-scope.js';
import { checkSecurityProfile } from './checks/check-security-profile.js';
import { resolveRequest } from './checks/resolve-request.js';

export interface CheckDependencies {
  readonly clients: ClientCache;
  readonly apis: ApiCache;
  readonly persistence: Persistence;
  readonly now: () => Date;
}

export type AuthorizeCheck = (draft: AuthorizeDraft, deps: CheckDependencies) => void | Promise<void>;

/** Until the redirect URI is known to be registered, an error is an HTML page, never a redirect. */
export const BEFORE_REDIRECT_URI_IS_TRUSTED: readonly AuthorizeCheck[] = [
  (d, deps) => checkClient(d, deps.clients),
  resolveRequest,
  checkRequestUriWithoutRedirectUri,
  checkRedirectUri,
];

/** From here every refusal goes back to the client with error, state and iss (RFC 9207). */
export const AFTER_REDIRECT_URI_IS_TRUSTED: readonly AuthorizeCheck[] = [
  checkRequestUri,
  checkRequestRequirements,
  checkSecurityProfile,
  checkResponseType,
  checkPkce,
  checkDpopJkt,
  checkPrompt,
  checkScope,
  (d, deps) => checkResource(d, deps.apis),
  checkAuthorizationDetails,
];

/** RFC 9126 §2.1: a pushed request is validated as /authorize would, its refusals answered as JSON. */
export const PUSHED_REQUEST_CHECKS: readonly AuthorizeCheck[] = [checkRedirectUri, ...AFTER_REDIRECT_URI_IS_TRUSTED];
