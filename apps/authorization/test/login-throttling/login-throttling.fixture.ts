import * as oauth from 'oauth4webapi';
import {
  readForm,
  startAuthorizationServer,
  TestBrowser,
  uniqueSlug,
  type RunningAuthorizationServer,
} from '../../../../test/support/index.js';

export const PASSWORD = 'correct horse battery staple';
export const REDIRECT_URI = 'https://client.example.test/callback';

/** The authorization app over real HTTP with a clock the test moves forward (the shared test server). */
export type ClockedServer = RunningAuthorizationServer;

export function startClockedServer(): Promise<ClockedServer> {
  return startAuthorizationServer();
}

export interface LoginTenant {
  readonly slug: string;
  readonly clientId: string;
}

/** A tenant with the given rate-limit policy, users (password PASSWORD) and a first-party public client (no consent page). */
export async function createLoginTenant(
  server: ClockedServer,
  policy: Record<string, number>,
  usernames: readonly string[],
): Promise<LoginTenant> {
  const slug = uniqueSlug('lock');
  const { admin } = server;
  await admin.tenants.create(slug, 'Lockout Corp');
  const tenant = await admin.tenants.get(slug);
  await server.infrastructure.persistence.repositories.tenants.updateIfUnchanged(tenant.id, tenant.updatedAt, { rateLimitPolicy: policy });
  for (const username of usernames) await admin.users.create({ tenant: slug, username, password: PASSWORD });
  const { client } = await admin.clients.create({
    tenant: slug,
    name: 'Console',
    public: true,
    redirectUris: [REDIRECT_URI],
    scope: 'openid',
    firstParty: true,
  });
  return { slug, clientId: client.clientId };
}

export interface LoginAttempt {
  readonly status: number;
  readonly html: string;
  readonly headers: Headers;
  /** Where a 303 sends the browser. */
  readonly location: string | null;
}

/** Starts a fresh authorization request, then submits the login form once. */
export async function attemptLogin(server: ClockedServer, tenant: LoginTenant, username: string, password: string): Promise<LoginAttempt> {
  const browser = new TestBrowser();
  const url = new URL(`${server.origin}/t/${tenant.slug}/authorize`);
  url.searchParams.set('client_id', tenant.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', REDIRECT_URI);
  url.searchParams.set('scope', 'openid');
  url.searchParams.set('state', 'st-1');
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()));
  url.searchParams.set('code_challenge_method', 'S256');
  const page = await browser.follow(await browser.get(url.toString()), server.origin);
  if (page.response.status !== 200) throw new Error(`no login page: ${page.response.status} at ${page.url}`);
  const form = readForm(await page.response.text(), page.url);
  const response = await browser.postForm(form.action, { ...form.hidden, username, password });
  return { status: response.status, html: await response.text(), headers: response.headers, location: response.headers.get('location') };
}

/** The refusal text on the re-rendered login page. */
export function loginError(html: string): string | null {
  return html.match(/<p class="error" id="login-error" role="alert">([^<]*)<\/p>/)?.[1] ?? null;
}
