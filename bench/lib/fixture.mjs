// What every target is given: the same API, redirect URI and user, so each does the same work.
export const TENANT = 'bench';
export const API = 'https://orders.bench.test';
export const API_SCOPE = 'orders:read';
export const REDIRECT_URI = 'https://client.bench.test/callback';
export const USER = { username: 'alice', password: 'correct horse battery staple', email: 'alice@bench.test' };

/** The login scenario's people, one per browser: sign-ins of different accounts, as a login form serves them. */
export const browserUser = (index) => ({ username: `browser-${index}`, password: USER.password, email: `browser-${index}@bench.test` });
export const FORM = 'application/x-www-form-urlencoded';
/** The token request of client-credentials and token-cpu: an RFC 9068 access token for the API (RFC 8707). */
export const CLIENT_CREDENTIALS_BODY = new URLSearchParams({
  grant_type: 'client_credentials',
  resource: API,
  scope: API_SCOPE,
}).toString();

export const basicAuth = (client) =>
  `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;
