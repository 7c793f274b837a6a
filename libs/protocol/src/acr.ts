/** Authentication context classes this server asserts (OIDC Core §2 `acr`), derived from `amr` (RFC 8176). */
export const ACR_PASSWORD = 'urn:gatehouse:acr:pwd';
export const ACR_MFA = 'urn:gatehouse:acr:mfa';
export const ACR_VALUES_SUPPORTED = [ACR_PASSWORD, ACR_MFA] as const;

/** RFC 8176 §2: `mfa` when more than one factor was used; otherwise the password class. */
export function acrForAmr(amr: readonly string[]): string {
  return amr.includes('mfa') ? ACR_MFA : ACR_PASSWORD;
}

/** OIDC Core §3.1.2.1 `acr_values`: space-separated, in order of preference. */
export function parseAcrValues(value: string | undefined): string[] {
  return (value ?? '')
    .split(' ')
    .filter((entry) => entry.length > 0 && entry.length <= 256)
    .slice(0, 16);
}
