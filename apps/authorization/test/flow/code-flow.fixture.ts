import * as oauth from 'oauth4webapi';
import { readForm, type TestBrowser, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';

export const PASSWORD = 'correct horse battery staple';
export const REDIRECT_URI = 'https://client.example.test/callback';
export const API = 'https://api.example.test/orders';

export interface CodeFlowFixture {
  readonly tenant: string;
  readonly issuer: string;
  readonly as: oauth.AuthorizationServer;
  readonly web: { client: oauth.Client; secret: string };
  readonly spa: { client: oauth.Client };
  readonly firstParty: { client: oauth.Client; secret: string };
}

/** A tenant with a user, a confidential web client, a public client, a first-party client and an API. */
export async function createCodeFlowFixture(server: RunningAuthorizationServer): Promise<CodeFlowFixture> {
  const tenant = uniqueSlug('flow');
  const { admin } = server;
  await admin.tenants.create(tenant, 'Flow Corp');
  await admin.users.create({ tenant, username: 'alice', email: 'alice@example.com', password: PASSWORD });
  await admin.apis.create({ tenant, identifier: API, scope: 'orders:read orders:write', name: 'Orders' });
  const scope = 'openid profile email offline_access orders:read';
  const web = await admin.clients.create({ tenant, name: 'Web App', redirectUris: [REDIRECT_URI], scope });
  const spa = await admin.clients.create({ tenant, name: 'SPA', public: true, redirectUris: [REDIRECT_URI], scope });
  const firstParty = await admin.clients.create({ tenant, name: 'Console', redirectUris: [REDIRECT_URI], scope, firstParty: true });

  const issuer = server.issuer(tenant);
  const response = await oauth.discoveryRequest(new URL(issuer), { algorithm: 'oidc', [oauth.allowInsecureRequests]: true });
  const as = await oauth.processDiscoveryResponse(new URL(issuer), response);
  return {
    tenant,
    issuer,
    as,
    web: { client: { client_id: web.client.clientId }, secret: web.clientSecret ?? '' },
    spa: { client: { client_id: spa.client.clientId } },
    firstParty: { client: { client_id: firstParty.client.clientId }, secret: firstParty.clientSecret ?? '' },
  };
}

export interface AuthorizeOptions {
  readonly clientId: string;
  readonly scope?: string;
  readonly resource?: string;
  readonly extra?: Record<string, string>;
  readonly codeChallenge?: string | null;
}

export function authorizeUrl(fixture: CodeFlowFixture, options: AuthorizeOptions & { state: string; nonce?: string }): string {
  const url = new URL(fixture.as.authorization_endpoint ?? '');
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', REDIRECT_URI);
  url.searchParams.set('scope', options.scope ?? 'openid profile email');
  url.searchParams.set('state', options.state);
  if (options.nonce) url.searchParams.set('nonce', options.nonce);
  if (options.resource) url.searchParams.set('resource', options.resource);
  if (options.codeChallenge !== null && options.codeChallenge !== undefined) {
    url.searchParams.set('code_challenge', options.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  for (const [key, value] of Object.entries(options.extra ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

/** Drives /authorize through the login and consent pages like a user would; returns where the browser lands. */
export async function signIn(
  browser: TestBrowser,
  origin: string,
  url: string,
  credentials: { username: string; password: string } = { username: 'alice', password: PASSWORD },
  decision: 'allow' | 'deny' = 'allow',
): Promise<{ landedAt: string; pages: string[] }> {
  const pages: string[] = [];
  let step = await browser.follow(await browser.get(url), origin);
  for (let i = 0; i < 4 && step.url.startsWith(origin); i++) {
    const html = await step.response.text();
    pages.push(html);
    const form = readForm(html, step.url);
    const fields: Record<string, string> = form.action.endsWith('/login')
      ? { ...form.hidden, username: credentials.username, password: credentials.password }
      : { ...form.hidden, decision };
    step = await browser.follow(await browser.postForm(form.action, fields), origin);
    if (step.url.startsWith(origin) && step.response.status !== 200) {
      pages.push(await step.response.text()); // a refusal page: the last page is what the user saw
      break;
    }
  }
  return { landedAt: step.url, pages };
}
