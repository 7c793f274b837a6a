import { timingSafeEqual } from 'node:crypto';
import { authenticateRequest, type ClientAuthentication } from './client-authentication.js';
import { DiscoveryCache, type AuthorizationServerMetadata } from './discovery.js';
import { asksForNonce, type DpopKey } from './dpop.js';
import { errorFromResponse, OAuthClientError } from './errors.js';
import { validateIdToken } from './id-token.js';
import { createPkcePair, randomValue } from './pkce.js';
import type { TokenSet } from './token-store.js';

export interface OAuthClientOptions {
  /** The issuer identifier, exactly as the server's metadata names it (`https://id.example.com/t/acme`). */
  readonly issuer: string;
  readonly clientId: string;
  /** Defaults to `none` (a public client). */
  readonly authentication?: ClientAuthentication;
  /** Where the authorization server sends the browser back to. */
  readonly redirectUri?: string;
  /** With a key, every token is requested bound to it (RFC 9449) and presented with proofs. */
  readonly dpop?: DpopKey;
  /** A fetch of your own: a proxy, a dispatcher presenting a client certificate (RFC 8705). */
  readonly fetch?: typeof fetch;
  /** Share one cache between clients of the same issuer. */
  readonly discovery?: DiscoveryCache;
}

/** What to keep (server side, or in an encrypted cookie) between sending the browser and its return. */
export interface PendingAuthorization {
  readonly url: string;
  readonly state: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  readonly nonce?: string;
}

export interface AuthorizationParameters {
  readonly scope: string;
  /** RFC 8707: the API(s) the token is for. */
  readonly resource?: string | readonly string[];
  /** RFC 9396. */
  readonly authorizationDetails?: readonly Record<string, unknown>[];
  /** Push the request first (RFC 9126). Done anyway when the server requires it. */
  readonly usePar?: boolean;
  /** Any other parameter (`prompt`, `login_hint`, `acr_values`, …). */
  readonly extra?: Readonly<Record<string, string>>;
}

/**
 * An OAuth 2.1 / OpenID Connect client of one authorization server: the authorization code flow
 * with PKCE (and PAR when asked for or required), the callback checked for `state` and RFC 9207
 * `iss`, ID tokens validated, refresh with rotation, client credentials, DPoP throughout.
 */
export class OAuthClient {
  private readonly discovery: DiscoveryCache;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: OAuthClientOptions) {
    this.fetch = options.fetch ?? fetch;
    this.discovery = options.discovery ?? new DiscoveryCache({ fetch: this.fetch });
  }

  metadata(): Promise<AuthorizationServerMetadata> {
    return this.discovery.get(this.options.issuer);
  }

  /** The URL to send the browser to, and what `handleCallback` needs back. */
  async authorizationUrl(parameters: AuthorizationParameters): Promise<PendingAuthorization> {
    const metadata = await this.metadata();
    const redirectUri = this.requireRedirectUri();
    const pkce = createPkcePair();
    const state = randomValue();
    const nonce = parameters.scope.split(' ').includes('openid') ? randomValue() : undefined;
    const query = new URLSearchParams({
      client_id: this.options.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: parameters.scope,
      state,
      code_challenge: pkce.codeChallenge,
      code_challenge_method: pkce.codeChallengeMethod,
      ...(nonce ? { nonce } : {}),
      ...parameters.extra,
    });
    for (const resource of resourcesOf(parameters.resource)) query.append('resource', resource);
    if (parameters.authorizationDetails) query.set('authorization_details', JSON.stringify(parameters.authorizationDetails));

    const pushed = parameters.usePar === true || metadata.require_pushed_authorization_requests === true;
    const url = new URL(metadata.authorization_endpoint);
    if (pushed) {
      const requestUri = await this.push(metadata, query);
      url.search = new URLSearchParams({ client_id: this.options.clientId, request_uri: requestUri }).toString();
    } else {
      // RFC 9449 §10: bind the code to the key where the request travels through the browser.
      if (this.options.dpop) query.set('dpop_jkt', this.options.dpop.thumbprint);
      url.search = query.toString();
    }
    return { url: url.toString(), state, codeVerifier: pkce.codeVerifier, redirectUri, ...(nonce ? { nonce } : {}) };
  }

  /**
   * The browser's return to the redirect URI: RFC 9207 `iss` and `state` checked before anything
   * else is read, an error answer thrown as such, the code exchanged and any ID token validated.
   */
  async handleCallback(callbackUrl: string | URL, pending: PendingAuthorization): Promise<TokenSet> {
    const metadata = await this.metadata();
    const params = new URL(callbackUrl).searchParams;
    const iss = params.get('iss');
    if (iss !== null ? iss !== metadata.issuer : metadata.authorization_response_iss_parameter_supported === true)
      throw new OAuthClientError('issuer_mismatch', 'the authorization response is not from this issuer (RFC 9207)');
    if (!sameValue(params.get('state'), pending.state))
      throw new OAuthClientError('state_mismatch', 'the authorization response does not carry the state this client sent');
    const error = params.get('error');
    if (error) throw new OAuthClientError(error, params.get('error_description') ?? undefined);
    const code = params.get('code');
    if (!code) throw new OAuthClientError('invalid_response', 'the authorization response carries no code');
    const tokens = await this.tokenRequest(
      metadata,
      new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: pending.redirectUri,
        code_verifier: pending.codeVerifier,
      }),
    );
    if (!tokens.idToken) return tokens;
    const claims = await validateIdToken(metadata, this.options.clientId, tokens.idToken, pending.nonce);
    return { ...tokens, claims };
  }

  /** A new token set from a refresh token; with rotation, the answer's refresh token replaces the old one. */
  async refresh(refreshToken: string, parameters: { scope?: string; resource?: string } = {}): Promise<TokenSet> {
    const metadata = await this.metadata();
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    if (parameters.scope) body.set('scope', parameters.scope);
    if (parameters.resource) body.set('resource', parameters.resource);
    const tokens = await this.tokenRequest(metadata, body);
    // RFC 6749 §6: without a new refresh token the old one stays valid.
    return tokens.refreshToken ? tokens : { ...tokens, refreshToken };
  }

  /** RFC 6749 §4.4: a token for the client itself. */
  async clientCredentials(parameters: Omit<AuthorizationParameters, 'usePar' | 'scope'> & { scope?: string } = {}): Promise<TokenSet> {
    const metadata = await this.metadata();
    const body = new URLSearchParams({ grant_type: 'client_credentials', ...parameters.extra });
    if (parameters.scope) body.set('scope', parameters.scope);
    for (const resource of resourcesOf(parameters.resource)) body.append('resource', resource);
    if (parameters.authorizationDetails) body.set('authorization_details', JSON.stringify(parameters.authorizationDetails));
    return this.tokenRequest(metadata, body);
  }

  /** Calls a protected resource with the token: `Bearer`, or `DPoP` with a proof (and one retry with a server nonce). */
  async fetchWithToken(url: string, tokens: Pick<TokenSet, 'accessToken' | 'tokenType'>, init: RequestInit = {}): Promise<Response> {
    const send = async () => {
      const headers = new Headers(init.headers);
      const dpop = tokens.tokenType.toLowerCase() === 'dpop' ? this.options.dpop : undefined;
      headers.set('authorization', `${dpop ? 'DPoP' : 'Bearer'} ${tokens.accessToken}`);
      if (dpop) headers.set('dpop', await dpop.proof(init.method ?? 'GET', url, tokens.accessToken));
      return this.fetch(url, { ...init, headers });
    };
    const response = await send();
    if (this.options.dpop?.rememberNonce(url, response) && (await asksForNonce(response))) return send();
    return response;
  }

  /** RFC 7009: revoke a refresh or access token (the server answers 200 even for one it does not know). */
  async revoke(token: string, hint?: 'refresh_token' | 'access_token'): Promise<void> {
    const metadata = await this.metadata();
    if (!metadata.revocation_endpoint) throw new OAuthClientError('invalid_response', 'the issuer has no revocation_endpoint');
    const body = new URLSearchParams({ token, ...(hint ? { token_type_hint: hint } : {}) });
    const response = await this.post(metadata, metadata.revocation_endpoint, body, false);
    if (response.status !== 200) throw await errorFromResponse(response);
  }

  private async push(metadata: AuthorizationServerMetadata, query: URLSearchParams): Promise<string> {
    const endpoint = metadata.pushed_authorization_request_endpoint;
    if (!endpoint) throw new OAuthClientError('invalid_request', 'the issuer has no pushed_authorization_request_endpoint');
    // RFC 9449 §10.1: a proof sent with the pushed request binds the code to the key.
    const response = await this.post(metadata, endpoint, query, true);
    if (response.status !== 201) throw await errorFromResponse(response);
    const body = (await response.json()) as { request_uri?: unknown };
    if (typeof body.request_uri !== 'string') throw new OAuthClientError('invalid_response', 'the PAR answer carries no request_uri');
    return body.request_uri;
  }

  private async tokenRequest(metadata: AuthorizationServerMetadata, body: URLSearchParams): Promise<TokenSet> {
    const response = await this.post(metadata, metadata.token_endpoint, body, true);
    if (response.status !== 200) throw await errorFromResponse(response);
    const answer = (await response.json()) as Record<string, unknown>;
    if (typeof answer['access_token'] !== 'string' || typeof answer['token_type'] !== 'string')
      throw new OAuthClientError('invalid_response', 'the token response lacks access_token or token_type');
    return {
      accessToken: answer['access_token'],
      tokenType: answer['token_type'],
      ...(typeof answer['expires_in'] === 'number' ? { expiresAt: Date.now() + answer['expires_in'] * 1000 } : {}),
      ...(typeof answer['refresh_token'] === 'string' ? { refreshToken: answer['refresh_token'] } : {}),
      ...(typeof answer['id_token'] === 'string' ? { idToken: answer['id_token'] } : {}),
      ...(typeof answer['scope'] === 'string' ? { scope: answer['scope'] } : {}),
      ...(answer['authorization_details'] !== undefined ? { authorizationDetails: answer['authorization_details'] } : {}),
    };
  }

  /** A client-authenticated form POST, with a DPoP proof where asked, retried once with a new server nonce (§8). */
  private async post(metadata: AuthorizationServerMetadata, endpoint: string, body: URLSearchParams, withDpop: boolean): Promise<Response> {
    const send = async () => {
      const form = new URLSearchParams(body);
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
      await authenticateRequest(this.options.authentication ?? { method: 'none' }, this.options.clientId, metadata.issuer, form, headers);
      if (withDpop && this.options.dpop) headers['dpop'] = await this.options.dpop.proof('POST', endpoint);
      return this.fetch(endpoint, { method: 'POST', headers, body: form, redirect: 'error' });
    };
    const response = await send();
    if (withDpop && this.options.dpop?.rememberNonce(endpoint, response) && (await asksForNonce(response))) return send();
    return response;
  }

  private requireRedirectUri(): string {
    if (!this.options.redirectUri) throw new OAuthClientError('invalid_request', 'the authorization code flow needs a redirectUri');
    return this.options.redirectUri;
  }
}

function resourcesOf(resource: string | readonly string[] | undefined): readonly string[] {
  return resource === undefined ? [] : typeof resource === 'string' ? [resource] : resource;
}

function sameValue(received: string | null, expected: string): boolean {
  if (received === null) return false;
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
