import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { bootstrapPlatform, createAdminApp, createAdminServices, type AdminServices } from '../../apps/admin/src/index.js';
import { createAuthorizationApp } from '../../apps/authorization/src/index.js';
import { createScratchPostgres, freePort, readForm, TestBrowser, testConfig } from '../support/index.js';

import { PASSWORD } from '../../apps/authorization/test/flow/code-flow.fixture.js';
import { basic } from '../../apps/authorization/test/lifecycle/lifecycle.fixture.js';

export { basic, PASSWORD };
export const ADMIN_API = 'urn:gatehouse:admin';
export const CONSOLE = 'admin-console';
const quiet = () => new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined });

export interface Tokens {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly id_token?: string;
}

/** A signed-in browser and what the code it brought back was redeemed for. */
export interface SignedIn {
  readonly browser: TestBrowser;
  readonly tokens: Tokens;
}

export interface SignInRequest {
  readonly tenant: string;
  readonly clientId: string;
  /** Confidential clients authenticate with Basic; public ones send client_id. */
  readonly secret?: string;
  readonly redirectUri: string;
  readonly username: string;
  readonly scope: string;
  readonly resource?: string;
}

/**
 * The whole platform on a scratch database: the authorization app at PUBLIC_URL (so the
 * admin console's redirect URI is ours), the admin API beside it, the platform bootstrapped.
 * A scratch database because the console's redirect URIs follow PUBLIC_URL.
 */
export class Platform {
  private constructor(
    readonly origin: string,
    readonly adminBase: string,
    readonly infrastructure: Infrastructure,
    readonly services: AdminServices,
    private readonly closers: (() => Promise<void>)[],
  ) {}

  /** `logger` captures both apps' lines (the log-redaction test); quiet by default. */
  static async start(logger?: GatehouseLogger): Promise<Platform> {
    const scratch = await createScratchPostgres();
    const origin = `http://127.0.0.1:${await freePort()}`;
    const config = testConfig({ PUBLIC_URL: origin, DATABASE_URL: scratch.url, ADMIN_USERNAME: 'root', ADMIN_PASSWORD: PASSWORD });
    const infrastructure = await openInfrastructure(config);
    const services = await createAdminServices(config, infrastructure.persistence, infrastructure.redis);
    await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users);
    // These suites sign administrators in through the public console client far more often than the
    // default 10 code exchanges per client and IP a minute (docs/adr/0009) allow one person.
    await services.tenants.update('system', await services.tenants.get('system'), {
      rateLimitPolicy: { codeExchangesPerClientIpPerMinute: 10_000, authorizeRequestsPerClientIpPerHour: 100_000 },
    });
    const authorization: NestFastifyApplication = await createAuthorizationApp(
      config,
      infrastructure,
      logger?.child({ app: 'authorization' }) ?? quiet(),
    );
    await listen(authorization, '127.0.0.1', Number(new URL(origin).port));
    const admin: NestFastifyApplication = await createAdminApp(config, infrastructure, logger?.child({ app: 'admin' }) ?? quiet());
    const adminBase = `${await listen(admin, '127.0.0.1', 0)}/admin/v1`;
    return new Platform(origin, adminBase, infrastructure, services, [
      () => authorization.close(),
      () => admin.close(),
      () => infrastructure.close(),
      () => scratch.drop(),
    ]);
  }

  async close(): Promise<void> {
    for (const close of this.closers) await close().catch(() => undefined);
  }

  issuer(tenant: string): string {
    return `${this.origin}/t/${tenant}`;
  }

  get consoleCallback(): string {
    return `${this.origin}/console/callback`;
  }

  /** Authorization code + PKCE through the login (and consent) pages, then the token endpoint. */
  async signIn(request: SignInRequest): Promise<SignedIn> {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    const url = new URL(`${this.issuer(request.tenant)}/authorize`);
    url.search = new URLSearchParams({
      client_id: request.clientId,
      response_type: 'code',
      redirect_uri: request.redirectUri,
      scope: request.scope,
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...(request.resource ? { resource: request.resource } : {}),
    }).toString();
    const browser = new TestBrowser();
    const pages = `${this.origin}/t/`;
    let step = await browser.follow(await browser.get(url.toString()), pages);
    for (let i = 0; i < 4 && step.url.startsWith(pages); i++) {
      const form = readForm(await step.response.text(), step.url);
      const fields: Record<string, string> = form.action.endsWith('/login')
        ? { username: request.username, password: PASSWORD }
        : { decision: 'allow' };
      step = await browser.follow(await browser.postForm(form.action, { ...form.hidden, ...fields }), pages);
    }
    assert.ok(step.url.startsWith(`${request.redirectUri}?`), `landed at ${step.url}`);
    const landed = new URL(step.url).searchParams;
    assert.equal(landed.get('state'), state);
    const form: Record<string, string> = {
      grant_type: 'authorization_code',
      code: landed.get('code') ?? '',
      redirect_uri: request.redirectUri,
      code_verifier: verifier,
    };
    const auth = request.secret ? basic(request.clientId, request.secret) : {};
    if (!request.secret) form['client_id'] = request.clientId;
    const response = await this.post(`${this.issuer(request.tenant)}/token`, form, auth);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return { browser, tokens: response.body as unknown as Tokens };
  }

  /** An administrator signs in through the admin console for the admin API. */
  consoleLogin(username: string): Promise<SignedIn> {
    return this.signIn({
      tenant: 'system',
      clientId: CONSOLE,
      redirectUri: this.consoleCallback,
      username,
      scope: 'openid profile offline_access admin',
      resource: ADMIN_API,
    });
  }

  /** RP-Initiated Logout with the ID token as hint, in the browser holding the session. */
  async logout(tenant: string, signedIn: SignedIn): Promise<void> {
    const url = new URL(`${this.issuer(tenant)}/logout`);
    url.searchParams.set('id_token_hint', signedIn.tokens.id_token ?? '');
    const response = await signedIn.browser.get(url.toString());
    assert.equal(response.status, 200, 'the signed-out page');
  }

  async adminStatus(path: string, accessToken: string): Promise<number> {
    return (await fetch(`${this.adminBase}${path}`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
  }

  async post(
    url: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }
}

/** The admin API refuses within a second: poll a little past it to tolerate a cached positive answer. */
export async function refusedWithinASecond(check: () => Promise<number>): Promise<number> {
  const deadline = Date.now() + 1500;
  let status = await check();
  while (status === 200 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = await check();
  }
  return status;
}
