import { RequestUriNotSupported } from '@gatehouse/protocol';
import type { AuthorizeDraft } from '../authorization-request.js';

/**
 * OIDC Core §3.1.2.6: where the tenant does not offer PAR (RFC 9126), and there is never a request
 * object by reference here, a request_uri is answered with request_uri_not_supported rather than
 * ignored (which would run the request without the parameters it points at). Where PAR is offered,
 * resolveRequest has already replaced it with the pushed parameters. Before the redirect URI is
 * trusted this is the error page; a PAR-style request names no redirect_uri at all.
 */
export function checkRequestUri(draft: AuthorizeDraft): void {
  if (draft.params['request_uri'] !== undefined) throw new RequestUriNotSupported();
}

/** Before the redirect URI is checked: only when the request carries no redirect_uri to answer on. */
export function checkRequestUriWithoutRedirectUri(draft: AuthorizeDraft): void {
  if (draft.params['redirect_uri'] === undefined) checkRequestUri(draft);
}
