/** What a token endpoint answered (RFC 6749 §5.1), with when the access token expires. */
export interface TokenSet {
  readonly accessToken: string;
  /** `Bearer`, or `DPoP` when the token is bound to the client's DPoP key. */
  readonly tokenType: string;
  readonly expiresAt?: number;
  readonly refreshToken?: string;
  readonly idToken?: string;
  readonly scope?: string;
  /** RFC 9396 §7. */
  readonly authorizationDetails?: unknown;
  /** The validated ID token's claims, when there was one. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** Where the client keeps tokens between requests: a session store, an encrypted cookie, a keychain. */
export interface TokenStore {
  get(key: string): Promise<TokenSet | undefined>;
  set(key: string, tokens: TokenSet): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Tokens in this process's memory: for scripts and tests. */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, TokenSet>();

  get(key: string): Promise<TokenSet | undefined> {
    return Promise.resolve(this.tokens.get(key));
  }

  set(key: string, tokens: TokenSet): Promise<void> {
    this.tokens.set(key, tokens);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.tokens.delete(key);
    return Promise.resolve();
  }
}
