/** RFC 6750 §3: a WWW-Authenticate Bearer challenge; quoted values may not carry `"` or `\`. */
export function bearerChallenge(params: { realm?: string; error?: string; description?: string; scope?: string }): string {
  const parts = Object.entries({ realm: params.realm, error: params.error, error_description: params.description, scope: params.scope })
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}="${value.replace(/["\\]/g, '')}"`);
  return parts.length > 0 ? `Bearer ${parts.join(', ')}` : 'Bearer';
}
