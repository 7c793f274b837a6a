import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { asTenantId, type ResolveHost } from '@gatehouse/protocol';
import { bootstrapPlatform, createAdminApp, createAdminServices } from '../../apps/admin/src/index.js';
import { BackchannelLogoutDispatcher } from '../../apps/audit-worker/src/index.js';
import { REFUSED } from '../../apps/audit-worker/src/backchannel/backchannel-logout.dispatcher.js';
import { PASSWORD, REDIRECT_URI } from '../../apps/authorization/test/flow/code-flow.fixture.js';
import { obtainIdToken, type LogoutClient, type LogoutFixture } from '../../apps/authorization/test/logout/logout.fixture.js';
import {
  ownPostgresDatabase,
  processEnv,
  runCli,
  startAuthorizationServer,
  uniqueSlug,
  type RunningAuthorizationServer,
} from '../support/index.js';
import * as oauth from 'oauth4webapi';

const silent = () => new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined });
/** A registrant's public-looking name that its DNS points at our loopback (resolved by the worker, never by the admin API). */
const INSIDE_NAME = 'bcl.example.test';
const resolveInside: ResolveHost = (host) =>
  host === INSIDE_NAME ? Promise.resolve([{ address: '127.0.0.1', family: 4 }]) : Promise.reject(new Error('ENOTFOUND'));

interface JobRow {
  attempts: number;
  delivered_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
}

/** Stands in for an internal service on 127.0.0.1: counts every TCP connection and every request. */
class InternalService {
  connections = 0;
  readonly requests: string[] = [];
  private readonly server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      this.requests.push(body);
      response.statusCode = 200;
      response.end('internal secrets');
    });
  });
  port = 0;

  async start(): Promise<void> {
    this.server.on('connection', () => this.connections++);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Issue 10 item 3 (SSRF through backchannel_logout_uri): a tenant admin, the CLI and a
 * registrant cannot aim back-channel logout at loopback (literal check when the URI is set);
 * a name that passes that check but resolves inside is refused by the worker at delivery,
 * before any connection, recorded without any status of the target and not retried; with the
 * operator's OUTBOUND_ALLOW_PRIVATE_TARGETS the delivery is made.
 */
describe('item 3: SSRF through backchannel_logout_uri', () => {
  let server: RunningAuthorizationServer;
  let adminApp: NestFastifyApplication;
  let adminOrigin: string;
  let adminToken: string;
  let internal: InternalService;
  let fixture: LogoutFixture;
  const tenant = uniqueSlug('ssrf');
  // The dispatcher claims the oldest due deliveries of every tenant: on a shared database, other suites' would come first.
  const database = ownPostgresDatabase();

  before(async () => {
    internal = new InternalService();
    await internal.start();
    server = await startAuthorizationServer(database.overrides());
    const { admin, config, infrastructure } = server;
    await bootstrapPlatform(config, infrastructure.persistence, admin.tenants, admin.users);
    await admin.tenants.create(tenant, 'SSRF Corp');
    await admin.users.create({ tenant, username: 'alice', email: 'alice@example.com', password: PASSWORD });
    adminApp = await createAdminApp(config, infrastructure, silent());
    adminOrigin = await listen(adminApp, '127.0.0.1', 0);
    adminToken = (await admin.adminTokens.mint({ tenant })).accessToken;
    const stored = await infrastructure.persistence.repositories.tenants.findBySlug(tenant);
    assert.ok(stored);
    const issuer = server.issuer(tenant);
    const insecure = { [oauth.allowInsecureRequests]: true } as const;
    const as = await oauth.processDiscoveryResponse(new URL(issuer), await oauth.discoveryRequest(new URL(issuer), insecure));
    fixture = {
      tenant,
      tenantId: stored.id,
      issuer,
      as,
      web: { client: { client_id: '' }, secret: '' },
      other: { client: { client_id: '' }, secret: '' },
    };
  });
  after(async () => {
    await adminApp?.close();
    await server?.close();
    await internal?.close();
    await database.drop();
  });

  const loopback = () => `http://127.0.0.1:${internal.port}/bcl`;

  async function adminCall(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${adminOrigin}/admin/v1/tenants/${tenant}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }

  async function clientCount(): Promise<number> {
    const [row] = await server.infrastructure.database.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM clients WHERE tenant_id = $1',
      [fixture.tenantId],
    );
    return row?.n ?? -1;
  }

  async function jobsOf(clientId: string): Promise<JobRow[]> {
    return server.infrastructure.database.dataSource.query<JobRow[]>(
      'SELECT attempts, delivered_at, failed_at, last_error FROM backchannel_logout_jobs WHERE tenant_id = $1 AND client_id = $2 ORDER BY created_at',
      [fixture.tenantId, clientId],
    );
  }

  async function makeJobsDue(): Promise<void> {
    await server.infrastructure.database.dataSource.query(
      `UPDATE backchannel_logout_jobs SET next_attempt_at = now() - interval '1 second'
       WHERE tenant_id = $1 AND delivered_at IS NULL AND failed_at IS NULL`,
      [fixture.tenantId],
    );
  }

  /** alice signs in to `client` and logs out with its ID token: one back-channel job for `client`. */
  async function signInAndLogOut(client: LogoutClient): Promise<void> {
    const { browser, idToken } = await obtainIdToken(fixture, server.origin, client);
    const url = new URL(`${fixture.issuer}/logout`);
    url.searchParams.set('id_token_hint', idToken);
    const response = await browser.get(url.toString());
    await response.body?.cancel();
    assert.ok(response.status < 400, `logout answered ${response.status}`);
  }

  function dispatcher(allowPrivate: boolean): BackchannelLogoutDispatcher {
    return new BackchannelLogoutDispatcher(
      { ...server.config, outboundAllowPrivateTargets: allowPrivate },
      server.infrastructure.persistence,
      silent(),
      {
        resolve: resolveInside,
      },
    );
  }

  it('a tenant admin cannot set a loopback backchannel_logout_uri through the admin API: 400, nothing created or changed', async () => {
    const before = await clientCount();
    const created = await adminCall('POST', '/clients', {
      client_name: 'Probe',
      redirect_uris: [REDIRECT_URI],
      backchannel_logout_uri: loopback(),
    });
    assert.equal(created.status, 400);
    assert.match(created.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal((created.body['errors'] as { field: string }[] | undefined)?.[0]?.field, 'backchannel_logout_uri');
    assert.equal(await clientCount(), before, 'no client was created');

    const good = await adminCall('POST', '/clients', {
      client_name: 'Shop',
      redirect_uris: [REDIRECT_URI],
      backchannel_logout_uri: 'https://shop.example.test/bcl',
    });
    assert.equal(good.status, 201);
    const clientId = String(good.body['client_id']);
    const read = await adminCall('GET', `/clients/${clientId}`);
    for (const uri of [
      loopback(),
      'http://127.1/bcl',
      'https://[::ffff:127.0.0.1]/bcl',
      'https://169.254.169.254/latest',
      'https://localhost/bcl',
    ]) {
      const patched = await adminCall(
        'PATCH',
        `/clients/${clientId}`,
        { backchannel_logout_uri: uri },
        { 'if-match': read.headers.get('etag') ?? '' },
      );
      assert.equal(patched.status, 400, uri);
    }
    const after = await adminCall('GET', `/clients/${clientId}`);
    assert.equal(after.body['backchannel_logout_uri'], 'https://shop.example.test/bcl', 'unchanged');
    assert.equal(after.headers.get('etag'), read.headers.get('etag'));
  });

  // On the embedded database the CLI process would open a database of its own, without this tenant.
  const sharedDatabase = process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL: the CLI and this test share only a PostgreSQL database';
  it('the CLI refuses a loopback backchannel_logout_uri too', { skip: sharedDatabase }, async () => {
    const before = await clientCount();
    const env = processEnv({ PUBLIC_URL: server.origin, LOG_LEVEL: 'warn', ...database.overrides() });
    const run = await runCli(
      [
        'client',
        'create',
        '--tenant',
        tenant,
        '--name',
        'Probe',
        '--redirect-uri',
        REDIRECT_URI,
        '--backchannel-logout-uri',
        'http://127.1/bcl',
      ],
      env,
    );
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /backchannel_logout_uri/);
    assert.equal(await clientCount(), before);
  });

  it('a registrant cannot register a URI whose literal host is internal, however it is spelled', async () => {
    const { token } = await server.admin.registrationTokens.create(tenant);
    const before = await clientCount();
    for (const uri of [
      `https://localhost:${internal.port}/bcl`,
      `https://127.1:${internal.port}/bcl`,
      `https://[::ffff:127.0.0.1]:${internal.port}/bcl`,
      `https://[::127.0.0.1]:${internal.port}/bcl`,
      'https://0x7f.0.0.1/bcl',
      `http://127.1:${internal.port}/bcl`,
      'https://metadata.google.internal/computeMetadata/v1/',
    ]) {
      const response = await fetch(`${fixture.issuer}/register`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: [REDIRECT_URI], backchannel_logout_uri: uri }),
      });
      assert.equal(response.status, 400, uri);
      assert.equal(((await response.json()) as Record<string, unknown>)['error'], 'invalid_client_metadata', uri);
    }
    assert.equal(await clientCount(), before, 'nothing registered');
    assert.equal(internal.connections, 0);
  });

  it('a registered name that resolves to loopback: the worker refuses after resolving, never connects, records no status and does not retry', async () => {
    const { token } = await server.admin.registrationTokens.create(tenant);
    const response = await fetch(`${fixture.issuer}/register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Registrant',
        redirect_uris: [REDIRECT_URI],
        backchannel_logout_uri: `https://${INSIDE_NAME}:${internal.port}/bcl`,
        scope: 'openid profile',
      }),
    });
    const registered = (await response.json()) as Record<string, unknown>;
    assert.equal(response.status, 201, JSON.stringify(registered));
    const client: LogoutClient = { client: { client_id: String(registered['client_id']) }, secret: String(registered['client_secret']) };
    await signInAndLogOut(client);

    const worker = dispatcher(false);
    await makeJobsDue();
    await worker.runOnce();
    assert.equal(internal.connections, 0, 'no connection reached the internal address');
    const [job] = await jobsOf(client.client.client_id);
    assert.ok(job?.failed_at, 'given up at once');
    assert.equal(job.delivered_at, null);
    assert.equal(job.attempts, 1, 'not retried as if transient');
    assert.equal(job.last_error, REFUSED);
    assert.doesNotMatch(job.last_error ?? '', /HTTP|\d{3}|connection|internal secrets/);

    const events = await server.infrastructure.persistence.repositories.auditOutbox.listByTenant(asTenantId(fixture.tenantId), 1000);
    const failed = events.filter((event) => event.type === 'backchannel_logout.failed' && event.clientId === client.client.client_id);
    assert.equal(failed.length, 1, 'the refusal is audited');
    assert.equal(failed[0]?.details?.['error'], REFUSED);
    assert.doesNotMatch(JSON.stringify(failed[0]?.details), /HTTP|internal secrets/);

    await makeJobsDue();
    await worker.runOnce();
    assert.equal(internal.connections, 0, 'a later run does not try again');

    // With the operator's opt-in the same resolved address is what the worker connects to.
    await signInAndLogOut(client);
    await makeJobsDue();
    await dispatcher(true).runOnce();
    assert.ok(internal.connections >= 1, 'the opt-in lets the connection through, to the address the guard checked');
  });

  it('a URI stored while private targets were allowed: refused at delivery without the opt-in, delivered with it', async () => {
    const permissive = await createAdminServices(
      { ...server.config, outboundAllowPrivateTargets: true },
      server.infrastructure.persistence,
    );
    const created = await permissive.clients.create({
      tenant,
      name: 'Intranet App',
      redirectUris: [REDIRECT_URI],
      scope: 'openid profile',
      firstParty: true,
      backchannelLogoutUri: loopback(),
    });
    const client: LogoutClient = { client: { client_id: created.client.clientId }, secret: created.clientSecret ?? '' };
    const requestsBefore = internal.requests.length;
    const connectionsBefore = internal.connections;

    await signInAndLogOut(client);
    await makeJobsDue();
    await dispatcher(false).runOnce();
    assert.equal(internal.connections, connectionsBefore, 'refused before connecting');
    const [refused] = await jobsOf(client.client.client_id);
    assert.equal(refused?.last_error, REFUSED);
    assert.ok(refused?.failed_at);

    await signInAndLogOut(client);
    await makeJobsDue();
    await dispatcher(true).runOnce();
    assert.equal(internal.requests.length, requestsBefore + 1, 'delivered with OUTBOUND_ALLOW_PRIVATE_TARGETS');
    assert.match(internal.requests.at(-1) ?? '', /^logout_token=/);
    const jobs = await jobsOf(client.client.client_id);
    assert.ok(jobs[1]?.delivered_at);
  });
});
