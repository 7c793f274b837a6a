/**
 * RFC 6749 §5.2 and RFC 6750 §3: error, error_description and scope values use only
 * %x20-21 / %x23-5B / %x5D-7E, so they need no escaping inside a quoted-string.
 */
const DISALLOWED = /[^\x20-\x21\x23-\x5B\x5D-\x7E]/g;

/** Keeps only the characters RFC 6749 allows in error_description; line breaks become spaces. */
export function sanitizeErrorDescription(value: string): string {
  return value
    .replace(/[\t\r\n]+/g, ' ')
    .replace(DISALLOWED, '')
    .trim();
}

export interface BearerChallengeParams {
  readonly realm?: string;
  readonly error?: string;
  readonly description?: string;
  readonly scope?: string;
  /** RFC 9728 §5.1: where the resource's metadata is. */
  readonly resourceMetadata?: string | undefined;
}

/** RFC 6750 §3: `Bearer realm="...", error="...", error_description="...", scope="..."`. */
export function bearerChallenge(params: BearerChallengeParams = {}): string {
  const attributes: [string, string | undefined][] = [
    ['realm', params.realm],
    ['error', params.error],
    ['error_description', params.description],
    ['scope', params.scope],
    ['resource_metadata', params.resourceMetadata],
  ];
  const rendered = attributes.flatMap(([name, value]) => (value === undefined ? [] : [`${name}=${quote(value)}`]));
  return rendered.length === 0 ? 'Bearer' : `Bearer ${rendered.join(', ')}`;
}

export interface DpopChallengeParams {
  readonly realm?: string | undefined;
  readonly error?: string | undefined;
  readonly description?: string | undefined;
  /** RFC 9449 §7.1: the proof algorithms the resource accepts. */
  readonly algs: readonly string[];
  /** RFC 9728 §5.1: where the resource's metadata is. */
  readonly resourceMetadata?: string | undefined;
}

/** RFC 9449 §7.1: `DPoP error="...", error_description="...", algs="ES256 PS256"`. */
export function dpopChallenge(params: DpopChallengeParams): string {
  const attributes: [string, string | undefined][] = [
    ['realm', params.realm],
    ['error', params.error],
    ['error_description', params.description],
    ['algs', params.algs.join(' ')],
    ['resource_metadata', params.resourceMetadata],
  ];
  return `DPoP ${attributes.flatMap(([name, value]) => (value === undefined ? [] : [`${name}=${quote(value)}`])).join(', ')}`;
}

/** RFC 7617 §2: the challenge a client_secret_basic failure answers with (RFC 6749 §5.2). */
export function basicChallenge(realm: string): string {
  return `Basic realm=${quote(realm)}`;
}

/** A quoted-string with `"` and `\` stripped rather than escaped (RFC 6750 §3 forbids them in values). */
function quote(value: string): string {
  return `"${sanitizeErrorDescription(value)}"`;
}
