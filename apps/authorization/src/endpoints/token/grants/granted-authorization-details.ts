import type { Client, Tenant } from '@gatehouse/persistence';
import {
  InvalidAuthorizationDetails,
  InvalidGrant,
  narrowAuthorizationDetails,
  parseAuthorizationDetails,
  type AuthorizationDetail,
} from '@gatehouse/protocol';
import { authorizationDetailsStillAccepted } from '../../authorize/checks/check-authorization-details.js';

type StoredDetails = readonly Readonly<Record<string, unknown>>[] | null;

/**
 * The authorization details a token request issues from its grant (a code or a refresh family):
 * - only while the tenant and the client still accept them (a type dropped or changed since, or taken
 *   from the client, refuses the grant);
 * - RFC 9396 §6: all of them, or the subset the request's `authorization_details` asks for, never more;
 *   asking for details of a grant that has none is refused with `noneHint`.
 */
export function authorizationDetailsToIssue(
  tenant: Tenant,
  client: Client,
  stored: StoredDetails,
  requested: string | undefined,
  noneHint: string,
): readonly AuthorizationDetail[] | null {
  const granted = stored as readonly AuthorizationDetail[] | null;
  if (granted && !authorizationDetailsStillAccepted(tenant, client, granted))
    throw new InvalidGrant({ cause: 'authorization details no longer accepted' });
  if (requested === undefined) return granted;
  if (!granted) throw new InvalidAuthorizationDetails({ hint: noneHint });
  return narrowAuthorizationDetails(granted, parseAuthorizationDetails(requested));
}
