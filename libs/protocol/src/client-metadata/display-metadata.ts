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
 * user under our sign-in page. A self-registered client's must have the scheme and host of one of
 * its redirect URIs, and its logo cannot be inline (a data: logo names no host, so it could be any
 * brand's); an admin's choice is trusted.
 */
export function displayMetadataOf(fields: MetadataFields, redirectUris: readonly string[], selfRegistered: boolean): DisplayMetadata {
  const redirectSites = new Set(redirectUris.map(siteOf).filter((site): site is string => site !== null));
  const read = (member: (typeof MEMBERS)[keyof typeof MEMBERS]): string | null => {
    const uri = fields.string(member);
    if (uri === undefined) return null;
    const inlineLogo = member === 'logo_uri' && !selfRegistered;
    const problem = displayUriProblem(uri, inlineLogo ? { dataImageMaxLength: DISPLAY_URI_MAX_LENGTH } : {});
    if (problem) {
      fields.problem(member, `${member} ${problem}`);
      return null;
    }
    if (selfRegistered && !redirectSites.has(siteOf(uri) ?? ''))
      fields.problem(member, `${member} must be on the scheme and host of one of the redirect_uris (RFC 7591 §5)`);
    return uri;
  };
  return {
    clientUri: read(MEMBERS.clientUri),
    logoUri: read(MEMBERS.logoUri),
    policyUri: read(MEMBERS.policyUri),
    tosUri: read(MEMBERS.tosUri),
  };
}

/** Scheme and host (no port): what RFC 7591 §5 compares. Null for data: and mailto: URIs. */
function siteOf(uri: string): string | null {
  const host = displayUriHost(uri);
  return host === null ? null : `${uri.slice(0, uri.indexOf(':')).toLowerCase()}://${host}`;
}
