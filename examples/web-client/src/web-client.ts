import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  MemoryTokenStore,
  OAuthClient,
  OAuthClientError,
  type PendingAuthorization,
  type TokenSet,
  type TokenStore,
} from '@gatehouse/oauth-client';

export interface WebClientOptions {
  /** The Gatehouse tenant's issuer, `http://localhost:3000/t/demo`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** This app's own origin, `http://localhost:4001`; the redirect URI is `${origin}/callback`. */
  readonly origin: string;
  /** Where the orders API answers, and the identifier it was registered under in Gatehouse. */
  readonly apiUrl: string;
  readonly apiIdentifier: string;
  /** Where each session's tokens are kept; in memory unless you pass a store of your own. */
  readonly tokens?: TokenStore;
}

interface Session {
  pending?: PendingAuthorization;
}

const SESSION_COOKIE = 'example_session';

/**
 * A minimal web application that signs people in with Gatehouse (@gatehouse/oauth-client) and calls
 * the orders API with their token. Sessions live in this process's memory.
 */
export function createWebClient(options: WebClientOptions): Server {
  const client = new OAuthClient({
    issuer: options.issuer,
    clientId: options.clientId,
    authentication: { method: 'client_secret_basic', clientSecret: options.clientSecret },
    redirectUri: `${options.origin}/callback`,
  });
  const sessions = new Map<string, Session>();
  const store = options.tokens ?? new MemoryTokenStore();

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', options.origin);
    const { id, session } = sessionOf(request, sessions);
    response.setHeader(
      'set-cookie',
      `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax${options.origin.startsWith('https:') ? '; Secure' : ''}`,
    );
    // Signing out changes state, so it is a POST (a SameSite=Lax cookie is not sent with another site's POST: no forced logout).
    const allowed = url.pathname === '/logout' ? 'POST' : 'GET';
    if (request.method !== allowed) return page(response, 405, 'Method not allowed', `<p>Only ${allowed} here.</p>`);
    const tokens = await store.get(id);
    switch (url.pathname) {
      case '/':
        return tokens
          ? page(
              response,
              200,
              'Signed in',
              `<p>Signed in as <b>${escape(displayName(tokens))}</b>.</p><p><a href="/orders">Your orders</a></p><form method="post" action="/logout"><button>Sign out</button></form>`,
            )
          : page(response, 200, 'Welcome', '<p><a href="/login">Sign in with Gatehouse</a></p>');
      case '/login': {
        session.pending = await client.authorizationUrl({ scope: 'openid profile orders:read', resource: options.apiIdentifier });
        return redirect(response, session.pending.url);
      }
      case '/callback': {
        const pending = session.pending;
        if (!pending)
          return page(response, 400, 'Sign-in failed', '<p>No sign-in was started in this browser. <a href="/login">Start again</a>.</p>');
        delete session.pending; // one use
        await store.set(id, await client.handleCallback(url, pending));
        return redirect(response, '/');
      }
      case '/orders': {
        if (!tokens) return redirect(response, '/login');
        let answer = await client.fetchWithToken(`${options.apiUrl}/orders`, tokens);
        if (answer.status === 401 && tokens.refreshToken) {
          const renewed = await client.refresh(tokens.refreshToken);
          await store.set(id, renewed);
          answer = await client.fetchWithToken(`${options.apiUrl}/orders`, renewed);
        }
        const body = await answer.text();
        return page(
          response,
          answer.ok ? 200 : 502,
          'Your orders',
          `<p>The API answered ${answer.status}.</p><pre>${escape(body)}</pre><p><a href="/">Back</a></p>`,
        );
      }
      case '/logout':
        sessions.delete(id);
        await store.delete(id);
        return redirect(response, '/');
      default:
        return page(response, 404, 'Not found', '<p><a href="/">Home</a></p>');
    }
  }

  return createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      // OAuth errors are shown by code only; anything else is logged here, never shown.
      if (error instanceof OAuthClientError)
        page(response, 400, 'Sign-in failed', `<p>${escape(error.error)}</p><p><a href="/login">Try again</a></p>`);
      else {
        console.error(error);
        page(response, 500, 'Something went wrong', '<p>Please try again.</p>');
      }
    });
  });
}

/** The ID token's `name`, else its `sub`. */
function displayName(tokens: TokenSet): string {
  const name = tokens.claims?.['name'] ?? tokens.claims?.['sub'];
  return typeof name === 'string' ? name : '';
}

function sessionOf(request: IncomingMessage, sessions: Map<string, Session>): { id: string; session: Session } {
  const cookie = /(?:^|;\s*)example_session=([A-Za-z0-9_-]{43})/.exec(request.headers.cookie ?? '')?.[1];
  if (cookie && sessions.has(cookie)) return { id: cookie, session: sessions.get(cookie)! };
  const id = randomBytes(32).toString('base64url');
  const session: Session = {};
  sessions.set(id, session);
  return { id, session };
}

function page(response: ServerResponse, status: number, title: string, body: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  response.end(
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escape(title)}</title><h1>${escape(title)}</h1>${body}</html>`,
  );
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(303, { location, 'cache-control': 'no-store' });
  response.end();
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
