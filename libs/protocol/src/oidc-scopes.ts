/** The scopes OpenID Connect defines that Gatehouse serves (OIDC Core §5.4, §11); they never name an API. */
export const OIDC_SCOPES: readonly string[] = ['openid', 'profile', 'email', 'offline_access'];
