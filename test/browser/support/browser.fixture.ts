import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { generateCodeVerifier, s256Challenge } from '@gatehouse/pkce';
import { startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../../support/index.js';
import { startClientApp, type ClientApp } from './client-app.js';

export const PASSWORD = 'correct horse battery staple';
export const TENANT_NAME = 'Acme';

export interface AppClient {
  readonly clientId: string;
  readonly name: string;
  /** The registered client_uri (RFC 7591 §2), where "Return to …" links lead; null when none. */
  readonly clientUri: string | null;
}

/** One authorization request as the client sent it: the URL to open, and what it keeps to check the answer. */
export interface Authorization {
  readonly url: string;
  readonly state: string;
  readonly verifier: string;
}

export interface BrowserFixture {
  readonly server: RunningAuthorizationServer;
  readonly app: ClientApp;
  readonly tenant: { readonly slug: string; readonly name: string; readonly id: string; readonly issuer: string };
  /** First-party: signs in without a consent page. Returns to the app's post-logout page. */
  readonly portal: AppClient;
  /** Third-party with a client_uri: asks for consent. */
  readonly partner: AppClient;
  /** A new person with PASSWORD: nobody else's failed attempts or consents touch them. */
  addUser(): Promise<string>;
  authorization(client: AppClient, extra?: Record<string, string>): Authorization;
  /** The code exchanged at the token endpoint from Node, as the client's back end would. */
  exchange(client: AppClient, code: string, verifier: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * The authorization app, the client app's listener, and a tenant "Acme" (lockout after 3 wrong
 * passwords, http loopback redirect URIs allowed) with two public clients. Everything is declared
 * before the first request, so no cache holds an older version.
 */
export async function startBrowserFixture(
  options: { readonly host?: 'localhost'; readonly passkeyLogin?: 'passwordless' } = {},
): Promise<BrowserFixture> {
  const server = await startAuthorizationServer({}, options.host ? { host: options.host } : {});
  const app = await startClientApp();
  try {
    const { admin } = server;
    const slug = uniqueSlug('browser');
    await admin.tenants.create(slug, TENANT_NAME);
    const created = await admin.tenants.get(slug);
    const tenant = await admin.tenants.update(slug, created, {
      webLoopbackRedirects: true,
      rateLimitPolicy: { lockoutThreshold: 3 },
      ...(options.passkeyLogin ? { passkeyLogin: options.passkeyLogin } : {}),
    });
    const common = { tenant: slug, public: true, redirectUris: [app.redirectUri], scope: 'openid profile' };
    const portal = await admin.clients.create({
      ...common,
      name: 'Acme Portal',
      firstParty: true,
      postLogoutRedirectUris: [app.postLogoutRedirectUri],
    });
    const clientUri = `${app.origin}/partner-home`;
    const partner = await admin.clients.create({ ...common, name: 'Partner App', clientUri });

    const issuer = server.issuer(slug);
    const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    const authorizationEndpoint = metadata['authorization_endpoint'] ?? '';
    const tokenEndpoint = metadata['token_endpoint'] ?? '';
    let people = 0;

    return {
      server,
      app,
      tenant: { slug, name: TENANT_NAME, id: tenant.id, issuer },
      portal: { clientId: portal.client.clientId, name: 'Acme Portal', clientUri: null },
      partner: { clientId: partner.client.clientId, name: 'Partner App', clientUri },
      addUser: async () => {
        people += 1;
        const username = `person${people}`;
        await admin.users.create({ tenant: slug, username, email: `${username}@example.com`, password: PASSWORD });
        return username;
      },
      authorization: (client, extra = {}) => {
        const verifier = generateCodeVerifier();
        const state = randomBytes(16).toString('base64url');
        const url = new URL(authorizationEndpoint);
        const params = {
          client_id: client.clientId,
          response_type: 'code',
          redirect_uri: app.redirectUri,
          scope: 'openid profile',
          state,
          code_challenge: s256Challenge(verifier),
          code_challenge_method: 'S256',
          ...extra,
        };
        for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
        return { url: url.toString(), state, verifier };
      },
      exchange: async (client, code, verifier) => {
        const response = await fetch(tokenEndpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code,
            redirect_uri: app.redirectUri,
            client_id: client.clientId,
            code_verifier: verifier,
          }),
        });
        const body = (await response.json()) as Record<string, unknown>;
        assert.equal(response.status, 200, `token endpoint: ${JSON.stringify(body)}`);
        return body;
      },
      close: async () => {
        await app.close();
        await server.close();
      },
    };
  } catch (error) {
    await app.close();
    await server.close();
    throw error;
  }
}

/** The browser is at the client's redirect_uri with a code, the state sent and this issuer's `iss`; returns the code. */
export function assertCodeAtClient(page: Page, fixture: BrowserFixture, authorization: Authorization): string {
  const landed = new URL(page.url());
  assert.equal(`${landed.origin}${landed.pathname}`, fixture.app.redirectUri, `landed at ${page.url()}`);
  assert.equal(landed.searchParams.get('error'), null, `error at the client: ${page.url()}`);
  assert.equal(landed.searchParams.get('state'), authorization.state);
  assert.equal(landed.searchParams.get('iss'), fixture.tenant.issuer);
  const code = landed.searchParams.get('code');
  assert.ok(code, 'a code at the client');
  assert.ok(
    fixture.app.visits.some((visit) => visit.searchParams.get('code') === code),
    'the client app received the request',
  );
  return code;
}
