/** Injection token of the `ConfigChangePublisher` that tells every instance's caches about a committed admin change. */
export const CONFIG_CHANGE_PUBLISHER = Symbol('CONFIG_CHANGE_PUBLISHER');

/** Injection token of the admin API's public base URL, for the issuers it presents. */
export const PUBLIC_URL = Symbol('PUBLIC_URL');
