import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SinkCredentialsSealer, type AuditRecord } from '@gatehouse/audit';
import type { GatehouseConfig } from '@gatehouse/config';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure, type SiemSink, type Tenant } from '@gatehouse/persistence';
import { bootstrapPlatform, createAdminApp, createAdminServices, type AdminServices } from '../../src/index.js';
import { appendAuditRecords } from '../../../../test/support/audit-records.fixture.js';
import { testConfig, uniqueSlug } from '../../../../test/support/index.js';

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly text: string;
  readonly headers: Headers;
}

const HEC_TOKEN = `hec-${randomBytes(16).toString('hex')}`;
const WEBHOOK_SECRET = `whsec-${randomBytes(24).toString('base64url')}`;
const SINK_KEYS = [
  'id',
  'name',
  'type',
  'url',
  'format',
  'ack_enabled',
  'max_attempts',
  'enabled',
  'state',
  'exported_sequence',
  'last_error',
  'last_delivered_at',
  'created_at',
  'has_token',
  'has_secret',
];

/**
 * SIEM sinks and their dead letters through the admin API over real HTTP and PostgreSQL:
 * validation by libs/audit, sealed credentials that never come back out, If-Match on PATCH,
 * roles, tenant isolation, and the audit event in the transaction of each change.
 */
describe('admin API: SIEM sinks and dead letters', () => {
  let config: GatehouseConfig;
  let infrastructure: Infrastructure;
  let services: AdminServices;
  let app: NestFastifyApplication;
  let base: string;
  let platform: string;
  let adminOfA: string;
  let adminOfB: string;
  let analystOfA: string;
  let tenantA: Tenant;
  let tenantB: Tenant;
  /** Every response body and log line, searched for the raw token and secret at the end. */
  const seen: string[] = [];

  before(async () => {
    config = testConfig({ SIEM_ALLOW_PRIVATE_TARGETS: 'true' }); // the receivers in these tests listen on loopback
    infrastructure = await openInfrastructure(config);
    services = await createAdminServices(config, infrastructure.persistence);
    await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users);
    const slugA = uniqueSlug('siem-a');
    const slugB = uniqueSlug('siem-b');
    await services.tenants.create(slugA);
    await services.tenants.create(slugB);
    tenantA = await services.tenants.get(slugA);
    tenantB = await services.tenants.get(slugB);
    used.push(tenantA, tenantB);
    // Sinks start at the chain head: these two records are history a new sink never receives.
    await appendAuditRecords(infrastructure.persistence, tenantA, [{ username: 'ann' }, { username: 'bob' }]);
    const logger = new GatehouseLogger({ level: 'debug', format: 'json', write: (line: string) => void seen.push(line) });
    app = await createAdminApp(config, infrastructure, logger);
    base = `${await listen(app, '127.0.0.1', 0)}/admin/v1`;
    platform = (await services.adminTokens.mint({})).accessToken;
    adminOfA = (await services.adminTokens.mint({ tenant: slugA })).accessToken;
    adminOfB = (await services.adminTokens.mint({ tenant: slugB })).accessToken;
    analystOfA = (await services.adminTokens.mint({ tenant: slugA, role: 'security_analyst' })).accessToken;
  });
  /** Tenants whose sinks are removed at the end. */
  const used: Tenant[] = [];
  after(async () => {
    await app?.close();
    // The database is shared with other test files, some of which run an audit worker: leave no sink for it to export to.
    const sinks = infrastructure?.persistence.repositories.siemSinks;
    for (const tenant of used) {
      for (const sink of (await sinks?.list(tenant.id)) ?? []) await sinks?.delete(tenant.id, sink.id);
    }
    await infrastructure?.close();
  });

  /** Pauses a tenant's sinks before its chain moves past them, so such a worker never tries them during a test. */
  async function pauseSinks(tenant: Tenant): Promise<void> {
    const sinks = infrastructure.persistence.repositories.siemSinks;
    for (const sink of await sinks.list(tenant.id)) await sinks.setEnabled(tenant.id, sink.id, false);
  }

  async function call(method: string, path: string, token: string | null, body?: unknown, ifMatch?: string | null): Promise<Reply> {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (ifMatch) headers['if-match'] = ifMatch;
    const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    seen.push(text);
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, text, headers: response.headers };
  }

  const sinksOf = (tenant: Tenant) => `/tenants/${tenant.slug}/siem-sinks`;
  const lettersOf = (tenant: Tenant) => `/tenants/${tenant.slug}/dead-letters`;

  async function createSink(body: Record<string, unknown>, tenant = tenantA, token = adminOfA): Promise<Record<string, unknown>> {
    const created = await call('POST', sinksOf(tenant), token, body);
    assert.equal(created.status, 201, created.text);
    return created.body;
  }

  function query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    return infrastructure.database.dataSource.query<T[]>(sql, parameters);
  }

  async function storedSink(id: string, tenant = tenantA): Promise<SiemSink> {
    const sink = await infrastructure.persistence.repositories.siemSinks.find(tenant.id, id);
    assert.ok(sink, `sink ${id}`);
    return sink;
  }

  async function adminEvents(tenant: Tenant, action: string): Promise<{ xmin: string; details: Record<string, unknown> }[]> {
    const rows = await query<{ xmin: string; payload: { details: Record<string, unknown> } }>(
      `SELECT xmin::text AS xmin, payload FROM audit_outbox WHERE tenant_id = $1 AND type = 'admin.change' ORDER BY occurred_at, id`,
      [tenant.id],
    );
    return rows.map((row) => ({ xmin: row.xmin, details: row.payload.details })).filter((row) => row.details['action'] === action);
  }

  async function sinkCount(tenant: Tenant): Promise<number> {
    return (await infrastructure.persistence.repositories.siemSinks.list(tenant.id)).length;
  }

  describe('create', () => {
    it('a syslog sink with the defaults: CEF, 8 attempts, starting at the chain head', async () => {
      const created = await call('POST', sinksOf(tenantA), adminOfA, { type: 'syslog', url: 'tcp://127.0.0.1:6514' });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(Object.keys(created.body), SINK_KEYS);
      const { id, created_at: createdAt, ...rest } = created.body;
      assert.match(String(id), /^[0-9a-f-]{36}$/);
      assert.ok(!Number.isNaN(Date.parse(String(createdAt))));
      assert.deepEqual(rest, {
        name: 'syslog 127.0.0.1:6514',
        type: 'syslog',
        url: 'tcp://127.0.0.1:6514',
        format: 'cef',
        ack_enabled: false,
        max_attempts: 8,
        enabled: true,
        state: 'healthy',
        exported_sequence: 2,
        last_error: null,
        last_delivered_at: null,
        has_token: false,
        has_secret: false,
      });
      assert.match(created.headers.get('etag') ?? '', /^"[\w-]{22}"$/);
      assert.equal((await storedSink(String(id))).credentials, null);
    });

    it('a Splunk HEC sink (JSON by default) with its token, acknowledgement and attempts', async () => {
      const body = await createSink({
        name: 'Splunk prod',
        type: 'splunk-hec',
        url: 'https://127.0.0.1:9',
        token: HEC_TOKEN,
        ack_enabled: true,
        max_attempts: 3,
      });
      assert.equal(body['format'], 'json');
      assert.equal(body['name'], 'Splunk prod');
      assert.equal(body['ack_enabled'], true);
      assert.equal(body['max_attempts'], 3);
      assert.equal(body['has_token'], true);
      assert.equal(body['has_secret'], false);
      assert.equal(body['token'], undefined);
    });

    it('a webhook sink (OCSF by default, ECS on request) with its secret; http:// to loopback is allowed', async () => {
      const ocsf = await createSink({ type: 'webhook', url: 'https://127.0.0.1:9/hooks/gatehouse', secret: WEBHOOK_SECRET });
      assert.equal(ocsf['format'], 'ocsf');
      assert.equal(ocsf['has_secret'], true);
      assert.equal(ocsf['has_token'], false);
      const ecs = await createSink({ type: 'webhook', url: 'http://127.0.0.1:9/hook', secret: WEBHOOK_SECRET, format: 'ecs' });
      assert.equal(ecs['format'], 'ecs');
      assert.equal(ecs['url'], 'http://127.0.0.1:9/hook');
    });

    it('syslog over TLS takes its TLS options (either spelling of reject_unauthorized), sealed with the credentials', async () => {
      const body = await createSink({
        type: 'syslog',
        url: 'tls://127.0.0.1:9',
        format: 'json',
        tls: { reject_unauthorized: false, servername: 'collector.example.test' },
      });
      assert.equal(body['format'], 'json');
      assert.equal(body['tls'], undefined);
      const sealer = new SinkCredentialsSealer(config.keyEncryptionKey);
      assert.deepEqual(sealer.open(await storedSink(String(body['id']))), {
        tls: { servername: 'collector.example.test', rejectUnauthorized: false },
      });
      const camel = await createSink({ type: 'syslog', url: 'tls://127.0.0.1:9', tls: { rejectUnauthorized: true } });
      assert.deepEqual(sealer.open(await storedSink(String(camel['id']))), { tls: { rejectUnauthorized: true } });
    });

    const invalid: { name: string; body: unknown; field: string; detail: RegExp }[] = [
      {
        name: 'syslog over http://',
        body: { type: 'syslog', url: 'http://siem.example.test:514' },
        field: 'url',
        detail: /tcp:\/\/host:port/,
      },
      {
        name: 'webhook without a secret',
        body: { type: 'webhook', url: 'https://127.0.0.1:9/h' },
        field: 'secret',
        detail: /secret is required/,
      },
      {
        name: 'webhook with a short secret',
        body: { type: 'webhook', url: 'https://127.0.0.1:9/h', secret: 'short-one' },
        field: 'secret',
        detail: /at least 16/,
      },
      {
        name: 'splunk-hec without a token',
        body: { type: 'splunk-hec', url: 'https://127.0.0.1:9' },
        field: 'token',
        detail: /token is required/,
      },
      {
        name: 'a format the type does not carry',
        body: { type: 'syslog', url: 'tcp://siem.example.test:514', format: 'ocsf' },
        field: 'format',
        detail: /syslog sink takes cef or json/,
      },
      {
        name: 'webhook over http:// to a non-loopback host',
        body: { type: 'webhook', url: 'http://siem.example.test/h', secret: WEBHOOK_SECRET },
        field: 'url',
        detail: /https:\/\//,
      },
      {
        name: 'a token on a webhook sink',
        body: { type: 'webhook', url: 'https://127.0.0.1:9/h', secret: WEBHOOK_SECRET, token: HEC_TOKEN },
        field: 'token',
        detail: /only used by splunk-hec/,
      },
      {
        name: 'acknowledgement on a syslog sink',
        body: { type: 'syslog', url: 'tcp://siem.example.test:514', ack_enabled: true },
        field: 'ack_enabled',
        detail: /ack_enabled is only used by splunk-hec/,
      },
      {
        name: 'an unknown type',
        body: { type: 'kafka', url: 'tcp://siem.example.test:514' },
        field: 'type',
        detail: /^type must be one of/,
      },
      { name: 'no url', body: { type: 'syslog' }, field: 'url', detail: /url is required/ },
      {
        name: 'max_attempts out of range',
        body: { type: 'syslog', url: 'tcp://siem.example.test:514', max_attempts: 0 },
        field: 'max_attempts',
        detail: /max_attempts must be an integer from 1 to 50/,
      },
      {
        name: 'a misspelt setting',
        body: { type: 'syslog', url: 'tcp://siem.example.test:514', acknowledge: true },
        field: 'acknowledge',
        detail: /not a sink setting/,
      },
      {
        name: 'a non-boolean tls.reject_unauthorized',
        body: { type: 'syslog', url: 'tls://127.0.0.1:9', tls: { reject_unauthorized: 'no' } },
        field: 'tls.reject_unauthorized',
        detail: /must be a boolean/,
      },
      {
        name: 'TLS options on a tcp:// URL',
        body: { type: 'syslog', url: 'tcp://siem.example.test:514', tls: { servername: 'x.example.test' } },
        field: 'tls',
        detail: /tls:\/\//,
      },
      {
        name: 'a name of spaces',
        body: { type: 'syslog', url: 'tcp://siem.example.test:514', name: '   ' },
        field: 'name',
        detail: /1-200/,
      },
    ];
    for (const { name, body, field, detail } of invalid) {
      it(`refuses ${name}: 400 validation_failed naming ${field}, nothing stored`, async () => {
        const before = await sinkCount(tenantA);
        const refused = await call('POST', sinksOf(tenantA), adminOfA, body);
        assert.equal(refused.status, 400, refused.text);
        assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
        assert.equal(refused.body['code'], 'validation_failed');
        assert.equal((refused.body['errors'] as { field: string }[])[0]?.field, field);
        assert.match(String(refused.body['detail']), detail);
        assert.equal(await sinkCount(tenantA), before);
      });
    }

    it('refuses a body that is not an object', async () => {
      const refused = await call('POST', sinksOf(tenantA), adminOfA, [{ type: 'syslog' }]);
      assert.equal(refused.status, 400);
      assert.equal(refused.body['code'], 'validation_failed');
    });
  });

  describe('credentials', () => {
    it('are sealed in the database (bound to the sink) and never in a response, a log line or an audit event', async () => {
      const hec = await createSink({ type: 'splunk-hec', url: 'https://127.0.0.1:9', token: HEC_TOKEN });
      const hook = await createSink({ type: 'webhook', url: 'https://127.0.0.1:9/h', secret: WEBHOOK_SECRET });
      const [row] = await query<{ credentials: string }>(`SELECT credentials FROM siem_sinks WHERE id = $1`, [hec['id']]);
      assert.ok(row?.credentials);
      assert.ok(!row.credentials.includes(HEC_TOKEN));
      assert.ok(!Buffer.from(row.credentials, 'base64').toString('latin1').includes(HEC_TOKEN));
      const sealer = new SinkCredentialsSealer(config.keyEncryptionKey);
      const hecSink = await storedSink(String(hec['id']));
      assert.deepEqual(sealer.open(hecSink), { token: HEC_TOKEN });
      assert.deepEqual(sealer.open(await storedSink(String(hook['id']))), { secret: WEBHOOK_SECRET });
      // Copied onto another sink's row, the envelope does not open: it is bound to tenant and sink id.
      assert.throws(() => sealer.open({ ...hecSink, id: String(hook['id']) }));

      await call('GET', sinksOf(tenantA), adminOfA);
      await call('GET', `${sinksOf(tenantA)}/${String(hec['id'])}`, adminOfA);
      await call('GET', `${sinksOf(tenantA)}/${String(hook['id'])}`, analystOfA);
      const outbox = await query<{ payload: string }>(`SELECT payload::text AS payload FROM audit_outbox WHERE tenant_id = $1`, [
        tenantA.id,
      ]);
      assert.ok(outbox.length > 0);
      for (const text of [...seen, ...outbox.map((event) => event.payload)]) {
        assert.ok(!text.includes(HEC_TOKEN), `the HEC token leaked: ${text.slice(0, 200)}`);
        assert.ok(!text.includes(WEBHOOK_SECRET), `the webhook secret leaked: ${text.slice(0, 200)}`);
      }
    });

    it('each creation is audited in the transaction that stored the sink', async () => {
      const created = await createSink({ type: 'splunk-hec', url: 'https://127.0.0.1:9', token: HEC_TOKEN, name: 'audited' });
      const [row] = await query<{ xmin: string }>(`SELECT xmin::text AS xmin FROM siem_sinks WHERE id = $1`, [created['id']]);
      const event = (await adminEvents(tenantA, 'admin.siem_sink.created')).find((e) => e.details['target'] === created['id']);
      assert.ok(event && row);
      assert.equal(event.xmin, row.xmin);
      assert.equal(event.details['actor'], 'gatehouse-cli');
      assert.equal((event.details['after'] as Record<string, unknown>)['name'], 'audited');
      assert.equal(event.details['before'], null);
    });
  });

  describe('read', () => {
    it('lists oldest first, paging with limit and cursor without repeats; GET one', async () => {
      const tenant = await services.tenants.get((await services.tenants.create(uniqueSlug('siem-p'))).slug);
      used.push(tenant);
      const ids: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        ids.push(String((await createSink({ type: 'syslog', url: `tcp://127.0.0.1:${7000 + index}` }, tenant, platform))['id']));
      }
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const path: string = `${sinksOf(tenant)}?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await call('GET', path, platform);
        assert.equal(page.status, 200, page.text);
        pages.push((page.body['items'] as { id: string }[]).map((item) => item.id));
        cursor = page.body['next_cursor'] as string | null;
      } while (cursor && pages.length < 10);
      assert.deepEqual(
        pages.map((page) => page.length),
        [2, 2, 1],
      );
      assert.deepEqual(pages.flat(), ids);
      const one = await call('GET', `${sinksOf(tenant)}/${ids[3]}`, platform);
      assert.equal(one.status, 200);
      assert.equal(one.body['url'], 'tcp://127.0.0.1:7003');
      assert.deepEqual(Object.keys(one.body), SINK_KEYS);
      assert.equal((await call('GET', `${sinksOf(tenant)}?cursor=not!valid`, platform)).status, 400);
      assert.equal((await call('GET', `${sinksOf(tenant)}?cursor=${Buffer.from('x|y').toString('base64url')}`, platform)).status, 400);
    });

    it('an unknown or malformed id is 404', async () => {
      assert.equal((await call('GET', `${sinksOf(tenantA)}/${randomUUID()}`, adminOfA)).status, 404);
      assert.equal((await call('GET', `${sinksOf(tenantA)}/not-a-uuid`, adminOfA)).status, 404);
    });

    it('state follows the export: retrying after a failure, dead-lettering after giving up, disabled when paused', async () => {
      const sink = await createSink({ type: 'syslog', url: 'tcp://127.0.0.1:6600' });
      const id = String(sink['id']);
      const repos = infrastructure.persistence.repositories;
      await repos.siemSinks.markFailed(id, 2, new Date(Date.now() + 60_000), 'connect ECONNREFUSED 127.0.0.1:6600');
      let read = await call('GET', `${sinksOf(tenantA)}/${id}`, analystOfA);
      assert.equal(read.body['state'], 'retrying');
      assert.equal(read.body['last_error'], 'connect ECONNREFUSED 127.0.0.1:6600');
      await repos.siemSinks.deadLetter(await storedSink(id), [], 'gave up after 8 attempts', new Date());
      read = await call('GET', `${sinksOf(tenantA)}/${id}`, analystOfA);
      assert.equal(read.body['state'], 'dead-lettering');
      await repos.siemSinks.markDelivered(id, 2, new Date());
      read = await call('GET', `${sinksOf(tenantA)}/${id}`, analystOfA);
      assert.equal(read.body['state'], 'healthy');
      assert.ok(read.body['last_delivered_at']);
    });
  });

  describe('PATCH enabled with If-Match', () => {
    it('428 without If-Match, 412 when stale; the ETag ignores export progress; each change is audited in its transaction', async () => {
      const id = String((await createSink({ type: 'syslog', url: 'tcp://127.0.0.1:6601' }))['id']);
      const path = `${sinksOf(tenantA)}/${id}`;
      const first = await call('GET', path, adminOfA);
      const etag = first.headers.get('etag');
      assert.ok(etag);

      const missing = await call('PATCH', path, adminOfA, { enabled: false });
      assert.equal(missing.status, 428);
      assert.equal(missing.body['code'], 'precondition_required');
      const stale = await call('PATCH', path, adminOfA, { enabled: false }, '"not-the-etag"');
      assert.equal(stale.status, 412);
      assert.equal((await storedSink(id)).enabled, true);

      // The worker moving the cursor does not make an admin's read stale.
      await infrastructure.persistence.repositories.siemSinks.markDelivered(id, 2, new Date());
      assert.equal((await call('GET', path, adminOfA)).headers.get('etag'), etag);

      const paused = await call('PATCH', path, adminOfA, { enabled: false }, etag);
      assert.equal(paused.status, 200, paused.text);
      assert.equal(paused.body['enabled'], false);
      assert.equal(paused.body['state'], 'disabled');
      const pausedEtag = paused.headers.get('etag');
      assert.ok(pausedEtag && pausedEtag !== etag);
      assert.equal((await storedSink(id)).enabled, false);
      const [row] = await query<{ xmin: string }>(`SELECT xmin::text AS xmin FROM siem_sinks WHERE id = $1`, [id]);
      const event = (await adminEvents(tenantA, 'admin.siem_sink.updated')).find((e) => e.details['target'] === id);
      assert.ok(event && row);
      assert.equal(event.xmin, row.xmin);
      assert.equal((event.details['before'] as Record<string, unknown>)['enabled'], true);
      assert.equal((event.details['after'] as Record<string, unknown>)['enabled'], false);

      const replayed = await call('PATCH', path, adminOfA, { enabled: true }, etag);
      assert.equal(replayed.status, 412);
      assert.equal((await storedSink(id)).enabled, false);
      const resumed = await call('PATCH', path, adminOfA, { enabled: true }, pausedEtag);
      assert.equal(resumed.status, 200);
      assert.equal(resumed.body['state'], 'healthy');
    });

    it('only enabled, as a boolean, may change', async () => {
      const id = String((await createSink({ type: 'syslog', url: 'tcp://127.0.0.1:6602' }))['id']);
      const path = `${sinksOf(tenantA)}/${id}`;
      const etag = (await call('GET', path, adminOfA)).headers.get('etag');
      for (const [body, field] of [
        [{ enabled: 'no' }, 'enabled'],
        [{}, 'enabled'],
        [{ enabled: false, url: 'tcp://evil.example.test:514' }, 'url'],
      ] as const) {
        const refused = await call('PATCH', path, adminOfA, body, etag);
        assert.equal(refused.status, 400, JSON.stringify(body));
        assert.equal((refused.body['errors'] as { field: string }[])[0]?.field, field);
      }
      const stored = await storedSink(id);
      assert.equal(stored.enabled, true);
      assert.equal(stored.url, 'tcp://127.0.0.1:6602');
    });
  });

  describe('DELETE', () => {
    it('204, then gone (404), with its dead letters; audited', async () => {
      const id = String((await createSink({ type: 'syslog', url: 'tcp://127.0.0.1:6603' }))['id']);
      await pauseSinks(tenantA);
      const [record] = await appendAuditRecords(infrastructure.persistence, tenantA, [{ username: 'carol' }]);
      assert.ok(record);
      await infrastructure.persistence.repositories.siemSinks.deadLetter(await storedSink(id), [record], 'refused', new Date());
      const removed = await call('DELETE', `${sinksOf(tenantA)}/${id}`, adminOfA);
      assert.equal(removed.status, 204);
      assert.equal(removed.text, '');
      assert.equal((await call('GET', `${sinksOf(tenantA)}/${id}`, adminOfA)).status, 404);
      assert.equal((await call('DELETE', `${sinksOf(tenantA)}/${id}`, adminOfA)).status, 404);
      assert.deepEqual(await query(`SELECT id FROM siem_dead_letters WHERE sink_id = $1`, [id]), []);
      const event = (await adminEvents(tenantA, 'admin.siem_sink.deleted')).find((e) => e.details['target'] === id);
      assert.equal((event?.details['before'] as Record<string, unknown>)['url'], 'tcp://127.0.0.1:6603');
    });
  });

  describe('dead letters', () => {
    let tenant: Tenant;
    let first: SiemSink;
    let second: SiemSink;
    let records: AuditRecord[];

    before(async () => {
      tenant = await services.tenants.get((await services.tenants.create(uniqueSlug('siem-d'))).slug);
      used.push(tenant);
      first = await storedSink(String((await createSink({ type: 'syslog', url: 'tcp://127.0.0.1:6700' }, tenant, platform))['id']), tenant);
      second = await storedSink(
        String((await createSink({ type: 'webhook', url: 'http://127.0.0.1:9/h', secret: WEBHOOK_SECRET }, tenant, platform))['id']),
        tenant,
      );
      await pauseSinks(tenant);
      first = await storedSink(first.id, tenant);
      second = await storedSink(second.id, tenant);
      records = await appendAuditRecords(
        infrastructure.persistence,
        tenant,
        Array.from({ length: 5 }, (_, index) => ({ username: `user-${index}` })),
      );
      // As the exporter does after the last attempt: one statement per failed batch.
      await infrastructure.persistence.repositories.siemSinks.deadLetter(first, records.slice(0, 3), 'connect ECONNREFUSED', new Date());
      await infrastructure.persistence.repositories.siemSinks.deadLetter(second, records.slice(3), 'HTTP 503', new Date());
    });

    async function listAll(path: string, token = platform, limit = 2): Promise<Record<string, unknown>[]> {
      const items: Record<string, unknown>[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 10; pages += 1) {
        const page = await call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, token);
        assert.equal(page.status, 200, page.text);
        items.push(...(page.body['items'] as Record<string, unknown>[]));
        cursor = page.body['next_cursor'] as string | null;
        if (!cursor) return items;
      }
      assert.fail('pagination did not end');
    }

    it('lists the pending ones oldest first, paging through a batch that shares one timestamp without repeats', async () => {
      const items = await listAll(lettersOf(tenant));
      assert.equal(items.length, 5);
      assert.equal(new Set(items.map((item) => item['id'])).size, 5);
      assert.deepEqual(
        items.map((item) => item['sink_id']),
        [first.id, first.id, first.id, second.id, second.id],
      );
      assert.deepEqual(new Set(items.slice(0, 3).map((item) => item['record_id'])), new Set(records.slice(0, 3).map((r) => r.id)));
      const one = items.find((item) => item['record_id'] === records[4]?.id);
      assert.ok(one);
      assert.deepEqual(Object.keys(one), [
        'id',
        'sink_id',
        'record_id',
        'sequence',
        'attempts',
        'error',
        'created_at',
        'replay_requested_at',
      ]);
      assert.equal(one['sequence'], records[4]?.sequence);
      assert.equal(one['attempts'], 1);
      assert.equal(one['error'], 'HTTP 503');
      assert.equal(one['replay_requested_at'], null);
    });

    it('?sink= narrows to one sink; an unknown sink is 404; analysts may read', async () => {
      // analystOfA is not an analyst of this tenant: 404, like any other tenant's resource.
      assert.equal((await call('GET', `${lettersOf(tenant)}?sink=${second.id}`, analystOfA)).status, 404);
      const narrowed = await listAll(`${lettersOf(tenant)}?sink=${second.id}`);
      assert.deepEqual(new Set(narrowed.map((item) => item['record_id'])), new Set(records.slice(3).map((r) => r.id)));
      assert.equal(narrowed.length, 2);
      assert.equal((await call('GET', `${lettersOf(tenant)}?sink=${randomUUID()}`, platform)).status, 404);
      assert.equal((await call('GET', `${lettersOf(tenant)}?sink=nope`, platform)).status, 404);
      assert.equal((await call('GET', lettersOf(tenantA), analystOfA)).status, 200);
    });

    it('replay of one sink marks only its letters, in the transaction of its audit event; then all; delivered ones drop out', async () => {
      const replay = await call('POST', `${lettersOf(tenant)}/replay`, platform, { sink: second.id });
      assert.equal(replay.status, 202, replay.text);
      assert.deepEqual(replay.body, { replayed: 2 });
      const rows = await query<{ sink_id: string; replayed_at: Date | null; xmin: string }>(
        `SELECT sink_id, replayed_at, xmin::text AS xmin FROM siem_dead_letters WHERE tenant_id = $1`,
        [tenant.id],
      );
      assert.deepEqual(
        rows.filter((row) => row.replayed_at !== null).map((row) => row.sink_id),
        [second.id, second.id],
      );
      const event = (await adminEvents(tenant, 'admin.siem_dead_letters.replay_requested')).at(-1);
      assert.deepEqual(event?.details['after'], { sink: second.id, replayed: 2 });
      assert.equal(event?.xmin, rows.find((row) => row.replayed_at !== null)?.xmin);
      const listed = await listAll(lettersOf(tenant), platform, 100);
      assert.deepEqual(
        listed.map((item) => item['replay_requested_at'] !== null),
        [false, false, false, true, true],
      );

      const all = await call('POST', `${lettersOf(tenant)}/replay`, platform);
      assert.equal(all.status, 202, all.text);
      assert.deepEqual(all.body, { replayed: 5 });
      const after = await query<{ replayed_at: Date | null }>(`SELECT replayed_at FROM siem_dead_letters WHERE tenant_id = $1`, [
        tenant.id,
      ]);
      assert.ok(after.every((row) => row.replayed_at !== null));

      const delivered = listed.slice(0, 2).map((item) => String(item['id']));
      await infrastructure.persistence.repositories.siemDeadLetters.markDelivered(delivered, new Date());
      const pending = await listAll(lettersOf(tenant), platform, 100);
      assert.equal(pending.length, 3);
      assert.ok(pending.every((item) => !delivered.includes(String(item['id']))));
      assert.deepEqual((await call('POST', `${lettersOf(tenant)}/replay`, platform, {})).body, { replayed: 3 });
    });

    it('refuses a replay of an unknown sink (404) or with unknown options (400)', async () => {
      assert.equal((await call('POST', `${lettersOf(tenant)}/replay`, platform, { sink: randomUUID() })).status, 404);
      assert.equal((await call('POST', `${lettersOf(tenant)}/replay`, platform, { sink: 'nope' })).status, 404);
      const refused = await call('POST', `${lettersOf(tenant)}/replay`, platform, { sinks: [first.id] });
      assert.equal(refused.status, 400);
      assert.equal((refused.body['errors'] as { field: string }[])[0]?.field, 'sinks');
    });
  });

  describe('roles', () => {
    it('a security analyst reads sinks and dead letters but changes nothing (403)', async () => {
      const sink = await createSink({ type: 'syslog', url: 'tcp://127.0.0.1:6604' });
      const path = `${sinksOf(tenantA)}/${String(sink['id'])}`;
      assert.equal((await call('GET', sinksOf(tenantA), analystOfA)).status, 200);
      const read = await call('GET', path, analystOfA);
      assert.equal(read.status, 200);
      const etag = read.headers.get('etag');
      assert.equal((await call('GET', lettersOf(tenantA), analystOfA)).status, 200);
      const before = await sinkCount(tenantA);
      for (const [method, target, body] of [
        ['POST', sinksOf(tenantA), { type: 'syslog', url: 'tcp://127.0.0.1:6605' }],
        ['PATCH', path, { enabled: false }],
        ['DELETE', path, undefined],
        ['POST', `${lettersOf(tenantA)}/replay`, {}],
      ] as const) {
        const refused = await call(method, target, analystOfA, body, etag);
        assert.equal(refused.status, 403, `${method} ${target}`);
        assert.equal(refused.body['code'], 'forbidden');
      }
      assert.equal(await sinkCount(tenantA), before);
      assert.equal((await storedSink(String(sink['id']))).enabled, true);
    });

    it('no token is 401', async () => {
      assert.equal((await call('GET', sinksOf(tenantA), null)).status, 401);
      assert.equal((await call('POST', sinksOf(tenantA), null, { type: 'syslog', url: 'tcp://127.0.0.1:1' })).status, 401);
    });
  });

  it('the OpenAPI document shows the routes, with write-only credentials', async () => {
    const document = (await (await fetch(`${base.replace(/\/admin\/v1$/, '')}/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const sinks = '/admin/v1/tenants/{tenant}/siem-sinks';
    assert.deepEqual(Object.keys(document.paths[sinks] ?? {}).sort(), ['get', 'post']);
    assert.deepEqual(Object.keys(document.paths[`${sinks}/{id}`] ?? {}).sort(), ['delete', 'get', 'patch']);
    assert.deepEqual(Object.keys(document.paths['/admin/v1/tenants/{tenant}/dead-letters'] ?? {}), ['get']);
    assert.deepEqual(Object.keys(document.paths['/admin/v1/tenants/{tenant}/dead-letters/replay'] ?? {}), ['post']);
    assert.match(JSON.stringify(document.paths[sinks]), /"token":\{"type":"string","writeOnly":true/);
  });

  describe('tenant isolation', () => {
    it("tenant B's admin gets 404 on every route for A's sink and dead letters, and nothing of A changes", async () => {
      const sink = await createSink({ type: 'splunk-hec', url: 'https://127.0.0.1:9', token: HEC_TOKEN });
      const id = String(sink['id']);
      await pauseSinks(tenantA);
      const [record] = await appendAuditRecords(infrastructure.persistence, tenantA, [{ username: 'dave' }]);
      assert.ok(record);
      await infrastructure.persistence.repositories.siemSinks.deadLetter(await storedSink(id), [record], 'HTTP 500', new Date());
      const etag = (await call('GET', `${sinksOf(tenantA)}/${id}`, adminOfA)).headers.get('etag');
      const before = await storedSink(id);
      const countBefore = await sinkCount(tenantA);

      const attempts: [string, string, unknown][] = [
        // A's tenant path with B's token
        ['GET', sinksOf(tenantA), undefined],
        ['POST', sinksOf(tenantA), { type: 'syslog', url: 'tcp://127.0.0.1:6606' }],
        ['GET', `${sinksOf(tenantA)}/${id}`, undefined],
        ['PATCH', `${sinksOf(tenantA)}/${id}`, { enabled: false }],
        ['DELETE', `${sinksOf(tenantA)}/${id}`, undefined],
        ['GET', lettersOf(tenantA), undefined],
        ['POST', `${lettersOf(tenantA)}/replay`, {}],
        // B's own tenant path naming A's sink
        ['GET', `${sinksOf(tenantB)}/${id}`, undefined],
        ['PATCH', `${sinksOf(tenantB)}/${id}`, { enabled: false }],
        ['DELETE', `${sinksOf(tenantB)}/${id}`, undefined],
        ['GET', `${lettersOf(tenantB)}?sink=${id}`, undefined],
        ['POST', `${lettersOf(tenantB)}/replay`, { sink: id }],
      ];
      for (const [method, path, body] of attempts) {
        const refused = await call(method, path, adminOfB, body, etag);
        assert.equal(refused.status, 404, `${method} ${path}: ${refused.text}`);
        assert.ok(!refused.text.includes(HEC_TOKEN));
      }
      // B's own lists do not show A's sink.
      const listed = await call('GET', sinksOf(tenantB), adminOfB);
      assert.ok(!(listed.body['items'] as { id: string }[]).some((item) => item.id === id));

      assert.deepEqual(await storedSink(id), before);
      assert.equal(await sinkCount(tenantA), countBefore);
      const letters = await query<{ replayed_at: Date | null }>(`SELECT replayed_at FROM siem_dead_letters WHERE sink_id = $1`, [id]);
      assert.deepEqual(letters, [{ replayed_at: null }]);
      assert.equal((await adminEvents(tenantB, 'admin.siem_dead_letters.replay_requested')).length, 0);
    });
  });
});
