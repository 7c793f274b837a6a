import { DISPLAY_URI_MAX_LENGTH, displayUriHost, displayUriProblem } from '../display-uri.js';
import type { MetadataFields } from './metadata-fields.js';

/** RFC 7591 §2: the client's home page, logo, privacy policy and terms of service, shown on the sign-in and consent pages. */
export interface DisplayMetadata {
  readonly clientUri: string | null;
  readonly logoUri: string | null;
  readonly policyUri: string | null;
  readonly tosUri: string | null;
}

const MEMBERS = { clientUri: 'client_uri', logoUri: 'logo_uri', policyUri: 'policy_uri', tosUri: 'tos_uri' } as const;

/**
 * The four URIs, each https (http on a loopback host) without user information; a logo may also be
 * a data:image URI within the column's 2000 characters. Language-tagged variants (`logo_uri#de`,
 * RFC 7591 §2.2) are ignored like any unknown member: the pages show the untagged value.
 *
 * RFC 7591 §5: the server SHOULD check that these URIs share the host of the redirect URIs, since a
 * registrant could otherwise put a page of someone else's (or a drive-by download) in front of the
 * user under our sign-in page. A self-registered client's must name the host of one of its
 * redirect URIs (an inline data: logo names none and is fine); an admin's choice is trusted.
 */
export function displayMetadataOf(fields: MetadataFields, redirectUris: readonly string[], selfRegistered: boolean): DisplayMetadata {
  const redirectHosts = new Set(redirectUris.map(displayUriHost).filter((host): host is string => host !== null));
  const read = (member: (typeof MEMBERS)[keyof typeof MEMBERS]): string | null => {
    const uri = fields.string(member);
    if (uri === undefined) return null;
    const problem = displayUriProblem(uri, member === 'logo_uri' ? { dataImageMaxLength: DISPLAY_URI_MAX_LENGTH } : {});
    if (problem) {
      fields.problem(member, `${member} ${problem}`);
      return null;
    }
    const host = displayUriHost(uri);
    if (selfRegistered && host !== null && !redirectHosts.has(host))
      fields.problem(member, `${member} must be on the host of one of the redirect_uris (RFC 7591 §5)`);
    return uri;
  };
  return {
    clientUri: read(MEMBERS.clientUri),
    logoUri: read(MEMBERS.logoUri),
    policyUri: read(MEMBERS.policyUri),
    tosUri: read(MEMBERS.tosUri),
  };
}
