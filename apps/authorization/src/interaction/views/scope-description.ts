const DESCRIPTIONS: ReadonlyMap<string, string> = new Map([
  ['openid', 'Sign you in'],
  ['profile', 'Your name and profile information'],
  ['email', 'Your email address'],
  ['offline_access', 'Stay signed in (access when you are away)'],
]);

/** Plain text for the consent page; the view escapes it. */
export function describeScope(scope: string): string {
  return DESCRIPTIONS.get(scope) ?? `Access to ${scope}`;
}
