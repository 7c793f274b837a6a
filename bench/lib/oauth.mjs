// The client side of the flows, the same for every target.
import { createHash, randomBytes } from 'node:crypto';
import { basicAuth, FORM, REDIRECT_URI, USER } from './fixture.mjs';

export function authorizeUrl(target, client, { scope, resource, challenge, state }) {
  const url = new URL(target.endpoints.authorize);
  url.searchParams.set('client_id', client.id);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', REDIRECT_URI);
  url.searchParams.set('scope', scope);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  if (resource) url.searchParams.set('resource', resource);
  return url.href;
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * Follows the server's redirects and pages from `url` until it sends the browser to the client's
 * redirect URI; fills in a login form (`user`'s name and password) when one is shown. Returns the code.
 */
export async function browse(http, url, jar, user = USER) {
  let next = { url, method: 'GET', body: undefined };
  for (let step = 0; step < 8; step++) {
    const response = await http.request(next.url, {
      method: next.method,
      headers: { cookie: jar.header(), accept: 'text/html', ...(next.body ? { 'content-type': FORM } : {}) },
      body: next.body,
    });
    jar.store(response.headers['set-cookie']);
    if (response.status >= 300 && response.status < 400) {
      const location = new URL(response.headers.location, next.url).href;
      if (location.startsWith(REDIRECT_URI)) {
        const code = new URL(location).searchParams.get('code');
        if (!code) throw new Error(`redirected without a code: ${location}`);
        return code;
      }
      next = { url: location, method: 'GET', body: undefined };
      continue;
    }
    if (response.status === 200 && /type="password"/.test(response.text)) {
      next = { url: formAction(response.text, next.url), method: 'POST', body: loginForm(response.text, user) };
      continue;
    }
    throw new Error(`${next.method} ${next.url} answered ${response.status}: ${pageMessage(response.text)}`);
  }
  throw new Error(`no code after 8 steps from ${url}`);
}

/** What a page tells the person (its alert), else the start of the body. */
function pageMessage(text) {
  const alert = /role="alert"[^>]*>([^<]*)</.exec(text);
  return alert ? `"${alert[1].trim()}"` : text.slice(0, 300);
}

function formAction(html, pageUrl) {
  const action = html.match(/<form[^>]*action="([^"]*)"/)?.[1];
  if (action === undefined) throw new Error('login page without a form');
  return new URL(action.replace(/&amp;/g, '&'), pageUrl).href;
}

function loginForm(html, user) {
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = match[0].match(/name="([^"]*)"/)?.[1];
    const value = match[0].match(/value="([^"]*)"/)?.[1] ?? '';
    if (name)
      form.set(
        name,
        value
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&'),
      );
  }
  form.set('username', user.username);
  form.set('password', user.password);
  return form.toString();
}

export async function tokenRequest(http, target, client, form) {
  const response = await http.request(target.endpoints.token, {
    method: 'POST',
    headers: { authorization: basicAuth(client), 'content-type': FORM },
    body: new URLSearchParams(form).toString(),
  });
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}: ${response.text.slice(0, 300)}`);
  return JSON.parse(response.text);
}

/** /authorize with the session in `jar` → code → token endpoint; the token response. */
export async function codeFlow(http, target, jar, { client = target.web, scope, resource } = {}) {
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('base64url');
  const code = await browse(http, authorizeUrl(target, client, { scope, resource, challenge, state }), jar);
  return tokenRequest(http, target, client, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
    ...(resource ? { resource } : {}),
  });
}
