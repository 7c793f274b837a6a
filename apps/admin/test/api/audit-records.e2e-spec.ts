import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AuditRecord } from '@gatehouse/audit';
import { loadConfig } from '@gatehouse/config';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure, type Tenant } from '@gatehouse/persistence';
import { AuditRecordsController } from '../../src/audit-records/audit-records.controller.js';
import { bootstrapPlatform, createAdminApp, createAdminServices, type AdminServices } from '../../src/index.js';
import { appendAuditRecords, type AuditRecordSpec } from '../../../../test/support/audit-records.fixture.js';
import { ownPostgresDatabase, processEnv, uniqueSlug } from '../../../../test/support/index.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const minute = (n: number) => new Date(T0 + n * 60_000);

/** Five records covering every filter; a comma, a quote and a formula for the CSV. */
const FIXTURE: AuditRecordSpec[] = [
  { type: 'login.succeeded', occurredAt: minute(0), userId: 'u-alice', username: 'alice', clientId: 'web', ip: '198.51.100.7' },
  {
    type: 'login.failed',
    outcome: 'failure',
    occurredAt: minute(1),
    username: 'bob "the builder"',
    ip: '203.0.113.9',
    errorCode: 'access_denied',
    risk: { score: 40, reasons: [{ rule: 'velocity.user', points: 40, detail: '6 attempts in 5 minutes' }] },
  },
  {
    type: 'token.issued',
    occurredAt: minute(2),
    userId: 'u-alice',
    clientId: 'api-client',
    ip: '198.51.100.7',
    details: { grant_type: 'refresh_token' },
  },
  {
    type: 'login.succeeded',
    occurredAt: minute(3),
    userId: 'u-carol',
    username: 'carol',
    clientId: 'mobile,app',
    ip: '2001:db8::1',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
    geo: { kind: 'located', country: 'FR', city: 'Paris', latitude: 48.85, longitude: 2.35 },
    device: { id: 'dev-1', browser: 'Firefox', os: 'Linux' },
    risk: {
      score: 50,
      reasons: [
        { rule: 'geo.new_country', points: 30, detail: 'first login from FR' },
        { rule: 'device.new', points: 20, detail: 'a device carol has not used before' },
      ],
    },
  },
  {
    type: 'login.failed',
    outcome: 'failure',
    occurredAt: minute(4),
    username: '=SUM(A1:A2)',
    ip: '203.0.113.9',
    risk: { score: 20, reasons: [{ rule: 'velocity.ip', points: 20, detail: 'many users from one IP' }] },
  },
];

interface Sse {
  readonly response: Response;
  /** The next `count` events (id, event, data), waiting up to `timeoutMs`. */
  next(count: number, timeoutMs?: number): Promise<{ id: string; event: string; data: Record<string, unknown> }[]>;
  close(): void;
}

describe('admin API: audit records for security teams', () => {
  // Its tests read whole chains, which another suite's audit worker on the shared database could extend.
  const env = processEnv();
  const database = ownPostgresDatabase(env);
  let infrastructure: Infrastructure;
  let app: NestFastifyApplication;
  let base: string;
  let services: AdminServices;
  let platform: string;
  let analystOfA: string;
  let adminOfA: string;
  let tenantA: Tenant;
  let tenantB: Tenant;
  let records: AuditRecord[];

  before(async () => {
    const config = loadConfig(env);
    infrastructure = await openInfrastructure(config);
    services = await createAdminServices(config, infrastructure.persistence);
    await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users);
    const slugA = uniqueSlug('aud-a');
    const slugB = uniqueSlug('aud-b');
    await services.tenants.create(slugA);
    await services.tenants.create(slugB);
    tenantA = await services.tenants.get(slugA);
    tenantB = await services.tenants.get(slugB);
    records = await appendAuditRecords(infrastructure.persistence, tenantA, FIXTURE);
    await appendAuditRecords(infrastructure.persistence, tenantB, [{ type: 'login.succeeded', userId: 'u-b' }]);
    app = await createAdminApp(config, infrastructure, new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }));
    base = `${await listen(app, '127.0.0.1', 0)}/admin/v1`;
    platform = (await services.adminTokens.mint({})).accessToken;
    analystOfA = (await services.adminTokens.mint({ tenant: slugA, role: 'security_analyst' })).accessToken;
    adminOfA = (await services.adminTokens.mint({ tenant: slugA })).accessToken;
  });
  after(async () => {
    await app?.close();
    await infrastructure?.close();
    await database.drop();
  });

  async function get(
    path: string,
    token: string | null = analystOfA,
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const response = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
  }

  async function sequences(query: string, tenant = tenantA): Promise<number[]> {
    const response = await get(`/tenants/${tenant.slug}/audit-records?${query}`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return (response.body['items'] as { sequence: number }[]).map((item) => item.sequence);
  }

  async function download(path: string, token = analystOfA): Promise<{ status: number; text: string; headers: Headers }> {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  async function openStream(tenant: Tenant, token: string, headers: Record<string, string> = {}, query = ''): Promise<Sse> {
    const controller = new AbortController();
    const response = await fetch(`${base}/tenants/${tenant.slug}/audit-records/stream${query}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    return {
      response,
      async next(count, timeoutMs = 5000) {
        assert.ok(reader);
        const events: { id: string; event: string; data: Record<string, unknown> }[] = [];
        const deadline = Date.now() + timeoutMs;
        while (events.length < count) {
          const end = buffer.indexOf('\n\n');
          if (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = Object.fromEntries(
              block
                .split('\n')
                .filter((line) => !line.startsWith(':'))
                .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
            ) as Record<string, string>;
            if (fields['data'])
              events.push({
                id: fields['id'] ?? '',
                event: fields['event'] ?? '',
                data: JSON.parse(fields['data']) as Record<string, unknown>,
              });
            continue;
          }
          const remaining = deadline - Date.now();
          if (remaining <= 0) throw new Error(`timed out after ${events.length} of ${count} events`);
          let timer: NodeJS.Timeout | undefined;
          const chunk = await Promise.race([
            reader.read(),
            new Promise<never>(
              (_, reject) =>
                (timer = setTimeout(() => reject(new Error(`timed out after ${events.length} of ${count} events`)), remaining)),
            ),
          ]).finally(() => clearTimeout(timer));
          if (chunk.done) throw new Error('the stream ended');
          buffer += decoder.decode(chunk.value as Uint8Array, { stream: true });
        }
        return events;
      },
      close: () => controller.abort(),
    };
  }

  describe('query', () => {
    it('lists newest first with every field of a record', async () => {
      const response = await get(`/tenants/${tenantA.slug}/audit-records`);
      assert.equal(response.status, 200);
      const items = response.body['items'] as Record<string, unknown>[];
      assert.deepEqual(
        items.map((item) => item['sequence']),
        [5, 4, 3, 2, 1],
      );
      const carol = records[3];
      assert.ok(carol);
      assert.deepEqual(items[1], {
        id: carol.id,
        sequence: 4,
        type: 'login.succeeded',
        time: '2026-03-01T10:03:00.000Z',
        outcome: 'success',
        user: 'u-carol',
        username: 'carol',
        client: 'mobile,app',
        ip: '2001:db8::1',
        user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
        geo: { kind: 'located', country: 'FR', city: 'Paris', latitude: 48.85, longitude: 2.35 },
        device: { id: 'dev-1', browser: 'Firefox', os: 'Linux' },
        risk: {
          score: 50,
          reasons: [
            { rule: 'geo.new_country', points: 30, detail: 'first login from FR' },
            { rule: 'device.new', points: 20, detail: 'a device carol has not used before' },
          ],
        },
        error_code: null,
        details: null,
        hash: carol.hash,
        previous_hash: records[2]?.hash,
      });
      assert.equal((items[4] as { previous_hash: string }).previous_hash, '0'.repeat(64));
    });

    it('each filter narrows the result', async () => {
      assert.deepEqual(await sequences('type=login.failed'), [5, 2]);
      assert.deepEqual(await sequences('user=u-alice'), [3, 1]);
      assert.deepEqual(await sequences('username=carol'), [4]);
      assert.deepEqual(await sequences('client=web'), [1]);
      assert.deepEqual(await sequences('ip=203.0.113.9'), [5, 2]);
      assert.deepEqual(await sequences(`ip=${encodeURIComponent('2001:db8::1')}`), [4]);
      assert.deepEqual(await sequences('outcome=failure'), [5, 2]);
      assert.deepEqual(await sequences('outcome=success'), [4, 3, 1]);
      assert.deepEqual(await sequences('min_risk=40'), [4, 2]);
      assert.deepEqual(await sequences('min_risk=0'), [5, 4, 3, 2, 1]);
      assert.deepEqual(await sequences('since=2026-03-01T10:02:00Z'), [5, 4, 3]);
      assert.deepEqual(await sequences('until=2026-03-01T10:02:00Z'), [2, 1]);
      assert.deepEqual(await sequences('since=2026-03-01T11:01:00%2B01:00&until=2026-03-01T10:04:00.000Z'), [4, 3, 2]);
      assert.deepEqual(await sequences('type=login.failed&min_risk=30'), [2]);
      assert.deepEqual(await sequences('user=u-nobody'), []);
    });

    it('pages newest first with an opaque cursor', async () => {
      const first = await get(`/tenants/${tenantA.slug}/audit-records?limit=2`);
      assert.deepEqual(
        (first.body['items'] as { sequence: number }[]).map((item) => item.sequence),
        [5, 4],
      );
      const cursor = first.body['next_cursor'];
      assert.equal(typeof cursor, 'string');
      assert.doesNotMatch(String(cursor), /^\d+$/, 'the cursor is opaque');
      const second = await get(`/tenants/${tenantA.slug}/audit-records?limit=2&cursor=${String(cursor)}`);
      assert.deepEqual(
        (second.body['items'] as { sequence: number }[]).map((item) => item.sequence),
        [3, 2],
      );
      const third = await get(`/tenants/${tenantA.slug}/audit-records?limit=2&cursor=${String(second.body['next_cursor'])}`);
      assert.deepEqual(
        (third.body['items'] as { sequence: number }[]).map((item) => item.sequence),
        [1],
      );
      assert.equal(third.body['next_cursor'], null);
      // Filters hold across pages.
      const failures = await get(`/tenants/${tenantA.slug}/audit-records?outcome=failure&limit=1`);
      const more = await get(
        `/tenants/${tenantA.slug}/audit-records?outcome=failure&limit=1&cursor=${String(failures.body['next_cursor'])}`,
      );
      assert.deepEqual(
        [...(failures.body['items'] as { sequence: number }[]), ...(more.body['items'] as { sequence: number }[])].map(
          (item) => item.sequence,
        ),
        [5, 2],
      );
    });

    for (const [query, field] of [
      ['since=yesterday', 'since'],
      ['since=2026-03-01T10:00:00', 'since'],
      ['until=2026-13-45T00:00:00Z', 'until'],
      ['since=2026-03-02T00:00:00Z&until=2026-03-01T00:00:00Z', 'until'],
      ['type=login.exploded', 'type'],
      ['outcome=maybe', 'outcome'],
      ['min_risk=101', 'min_risk'],
      ['min_risk=-1', 'min_risk'],
      ['min_risk=4.5', 'min_risk'],
      ['ip=not-an-ip', 'ip'],
      ['type=login.failed&type=login.succeeded', 'type'],
      [`user=${'x'.repeat(129)}`, 'user'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      [`cursor=${Buffer.from('abc').toString('base64url')}`, 'cursor'],
      ['cursor=***', 'cursor'],
    ] as const) {
      it(`refuses ${query.length > 40 ? `${query.slice(0, 40)}…` : query} with a 400 naming ${field}`, async () => {
        const response = await get(`/tenants/${tenantA.slug}/audit-records?${query}`);
        assert.equal(response.status, 400);
        assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.equal(response.body['code'], 'validation_failed');
        assert.deepEqual(
          (response.body['errors'] as { field: string }[]).map((error) => error.field),
          [field],
        );
      });
    }
  });

  describe('roles', () => {
    it("a security analyst of A reads A's audit routes", async () => {
      assert.equal((await get(`/tenants/${tenantA.slug}/audit-records`)).status, 200);
      assert.equal((await get(`/tenants/${tenantA.slug}/audit-records/verify`)).status, 200);
      assert.equal((await download(`/tenants/${tenantA.slug}/audit-records/export`)).status, 200);
      const stream = await openStream(tenantA, analystOfA);
      assert.equal(stream.response.status, 200);
      stream.close();
    });

    it("tenant A's admin and a platform admin read them too", async () => {
      assert.deepEqual(
        ((await get(`/tenants/${tenantA.slug}/audit-records?limit=1`, adminOfA)).body['items'] as { sequence: number }[]).map(
          (i) => i.sequence,
        ),
        [5],
      );
      assert.equal((await get(`/tenants/${tenantB.slug}/audit-records`, platform)).status, 200);
    });

    it('a security analyst of A gets 404 on every audit route of tenant B, as for a missing tenant', async () => {
      for (const path of ['', '/verify', '/export?format=csv', '/stream', '?type=login.failed']) {
        const response = await get(`/tenants/${tenantB.slug}/audit-records${path}`);
        assert.equal(response.status, 404, path);
        assert.equal(response.body['code'], 'tenant_not_found');
        assert.equal(JSON.stringify(response.body).includes('u-b'), false);
      }
      assert.equal((await get(`/tenants/${uniqueSlug('missing')}/audit-records`)).body['code'], 'tenant_not_found');
      assert.equal((await get(`/tenants/${tenantB.slug}/audit-records`, adminOfA)).status, 404);
    });

    it('a security analyst reaches no other admin route (403 on its own tenant, 404 elsewhere)', async () => {
      const clients = await get(`/tenants/${tenantA.slug}/clients`);
      assert.equal(clients.status, 403);
      assert.equal(clients.body['code'], 'forbidden');
      for (const path of [`/tenants/${tenantA.slug}`, `/tenants/${tenantA.slug}/users`, `/tenants/${tenantA.slug}/keys`, '/tenants']) {
        assert.equal((await get(path)).status, 403, path);
      }
      const rotate = await fetch(`${base}/tenants/${tenantA.slug}/keys/rotate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${analystOfA}` },
      });
      assert.equal(rotate.status, 403);
      assert.equal((await get(`/tenants/${tenantB.slug}/clients`)).status, 404);
    });

    it('no token is 401', async () => {
      assert.equal((await get(`/tenants/${tenantA.slug}/audit-records`, null)).status, 401);
      assert.equal((await get(`/tenants/${tenantA.slug}/audit-records/stream`, null)).status, 401);
    });

    it('the OpenAPI document shows the audit routes', async () => {
      const document = (await (await fetch(`${base.replace(/\/admin\/v1$/, '')}/docs-json`)).json()) as { paths: Record<string, unknown> };
      for (const suffix of ['', '/stream', '/export', '/verify'])
        assert.ok(document.paths[`/admin/v1/tenants/{tenant}/audit-records${suffix}`], suffix);
    });
  });

  describe('live stream (Server-Sent Events)', () => {
    let tenantS: Tenant;
    let token: string;
    before(async () => {
      const slug = uniqueSlug('aud-s');
      await services.tenants.create(slug);
      tenantS = await services.tenants.get(slug);
      token = (await services.adminTokens.mint({ tenant: slug, role: 'security_analyst' })).accessToken;
      await appendAuditRecords(infrastructure.persistence, tenantS, [{ type: 'login.succeeded' }, { type: 'token.issued' }]);
    });

    it('starts at the head, then delivers a new record with its sequence as the event id', async () => {
      const stream = await openStream(tenantS, token);
      try {
        assert.equal(stream.response.status, 200);
        assert.match(stream.response.headers.get('content-type') ?? '', /^text\/event-stream/);
        assert.equal(stream.response.headers.get('cache-control'), 'no-store');
        assert.equal(stream.response.headers.get('x-content-type-options'), 'nosniff');
        const [added] = await appendAuditRecords(infrastructure.persistence, tenantS, [
          { type: 'login.failed', outcome: 'failure', username: 'eve' },
        ]);
        const [event] = await stream.next(1);
        assert.equal(event?.id, '3', 'records before the connection are not replayed');
        assert.equal(event?.event, 'audit-record');
        assert.equal(event?.data['id'], added?.id);
        assert.equal(event?.data['username'], 'eve');
        assert.equal(event?.data['hash'], added?.hash);
      } finally {
        stream.close();
      }
    });

    it('the stream ends when the token that opened it expires', async () => {
      const shortLived = (await services.adminTokens.mint({ tenant: tenantS.slug, role: 'security_analyst', lifetimeSeconds: 2 }))
        .accessToken;
      const started = Date.now();
      const response = await fetch(`${base}/tenants/${tenantS.slug}/audit-records/stream`, {
        headers: { authorization: `Bearer ${shortLived}`, accept: 'text/event-stream' },
        signal: AbortSignal.timeout(10_000),
      });
      assert.equal(response.status, 200);
      await response.text(); // resolves only when the server ends the response
      const lasted = Date.now() - started;
      assert.ok(lasted < 5_000, `the stream outlived its token: ${lasted} ms`);
    });

    it('a reconnect with Last-Event-ID receives only the later records, in order, then new ones', async () => {
      const later = await appendAuditRecords(infrastructure.persistence, tenantS, [{ type: 'token.issued' }, { type: 'token.revoked' }]);
      const stream = await openStream(tenantS, token, { 'last-event-id': '3' });
      try {
        const events = await stream.next(2);
        assert.deepEqual(
          events.map((event) => [event.id, event.data['id']]),
          later.map((record) => [String(record.sequence), record.id]),
        );
        assert.deepEqual(
          events.map((event) => event.id),
          ['4', '5'],
        );
        const [next] = await appendAuditRecords(infrastructure.persistence, tenantS, [{ type: 'session.ended' }]);
        assert.deepEqual(
          (await stream.next(1)).map((event) => [event.id, event.data['id']]),
          [['6', next?.id]],
        );
      } finally {
        stream.close();
      }
    });

    it('?last_event_id= resumes the same way (for clients that cannot set headers)', async () => {
      const stream = await openStream(tenantS, token, {}, '?last_event_id=5');
      try {
        assert.deepEqual(
          (await stream.next(1)).map((event) => event.id),
          ['6'],
        );
      } finally {
        stream.close();
      }
    });

    it('a client that disconnects ends its stream on the server (no poll loop left behind)', async () => {
      const streams = app.get(AuditRecordsController).streams;
      const settles = async (size: number) => {
        const deadline = Date.now() + 3000;
        while (streams.size !== size && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(streams.size, size);
      };
      await settles(0); // the earlier tests' streams
      const stream = await openStream(tenantS, token);
      await settles(1);
      stream.close();
      await settles(0);
    });

    it('a malformed Last-Event-ID is a 400, not a stream', async () => {
      const bad = await fetch(`${base}/tenants/${tenantS.slug}/audit-records/stream`, {
        headers: { authorization: `Bearer ${token}`, 'last-event-id': 'abc' },
      });
      assert.equal(bad.status, 400);
      assert.equal(((await bad.json()) as { errors: { field: string }[] }).errors[0]?.field, 'last_event_id');
    });
  });

  describe('export', () => {
    it('NDJSON for a time range: exactly the records in it, oldest first, one JSON object a line', async () => {
      const response = await download(
        `/tenants/${tenantA.slug}/audit-records/export?format=ndjson&since=2026-03-01T10:01:00Z&until=2026-03-01T10:03:00Z`,
      );
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
      assert.match(
        response.headers.get('content-disposition') ?? '',
        new RegExp(`^attachment; filename="audit-${tenantA.slug}-[0-9TZ-]+\\.ndjson"$`),
      );
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const [bob, token] = [records[1], records[2]];
      assert.ok(bob && token);
      const expected = [
        {
          id: bob.id,
          sequence: 2,
          type: 'login.failed',
          time: '2026-03-01T10:01:00.000Z',
          outcome: 'failure',
          user: null,
          username: 'bob "the builder"',
          client: null,
          ip: '203.0.113.9',
          user_agent: null,
          geo: { kind: 'unknown' },
          device: null,
          risk: { score: 40, reasons: [{ rule: 'velocity.user', points: 40, detail: '6 attempts in 5 minutes' }] },
          error_code: 'access_denied',
          details: null,
          hash: bob.hash,
          previous_hash: records[0]?.hash,
        },
        {
          id: token.id,
          sequence: 3,
          type: 'token.issued',
          time: '2026-03-01T10:02:00.000Z',
          outcome: 'success',
          user: 'u-alice',
          username: null,
          client: 'api-client',
          ip: '198.51.100.7',
          user_agent: null,
          geo: { kind: 'unknown' },
          device: null,
          risk: { score: 0, reasons: [] },
          error_code: null,
          details: { grant_type: 'refresh_token' },
          hash: token.hash,
          previous_hash: bob.hash,
        },
      ];
      assert.equal(response.text, expected.map((line) => `${JSON.stringify(line)}\n`).join(''));
    });

    it('CSV: a header row, RFC 4180 quoting, CRLF, and a formula cell neutralised', async () => {
      const response = await download(`/tenants/${tenantA.slug}/audit-records/export?format=csv`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="audit-.+\.csv"$/);
      const id = (n: number) => records[n - 1]?.id ?? '';
      assert.equal(
        response.text,
        [
          'id,sequence,time,type,outcome,user,username,client,ip,risk_score,risk_reasons',
          `${id(1)},1,2026-03-01T10:00:00.000Z,login.succeeded,success,u-alice,alice,web,198.51.100.7,0,`,
          `${id(2)},2,2026-03-01T10:01:00.000Z,login.failed,failure,,"bob ""the builder""",,203.0.113.9,40,velocity.user:40`,
          `${id(3)},3,2026-03-01T10:02:00.000Z,token.issued,success,u-alice,,api-client,198.51.100.7,0,`,
          `${id(4)},4,2026-03-01T10:03:00.000Z,login.succeeded,success,u-carol,carol,"mobile,app",2001:db8::1,50,geo.new_country:30;device.new:20`,
          `${id(5)},5,2026-03-01T10:04:00.000Z,login.failed,failure,,'=SUM(A1:A2),,203.0.113.9,20,velocity.ip:20`,
          '',
        ].join('\r\n'),
      );
    });

    it('an empty range is an empty NDJSON body or a CSV header alone', async () => {
      const range = 'since=2030-01-01T00:00:00Z';
      assert.equal((await download(`/tenants/${tenantA.slug}/audit-records/export?${range}`)).text, '');
      assert.equal(
        (await download(`/tenants/${tenantA.slug}/audit-records/export?format=csv&${range}`)).text,
        'id,sequence,time,type,outcome,user,username,client,ip,risk_score,risk_reasons\r\n',
      );
    });

    it('an unknown format or a bad range is a 400 naming the field', async () => {
      const xml = await get(`/tenants/${tenantA.slug}/audit-records/export?format=xml`);
      assert.equal(xml.status, 400);
      assert.equal((xml.body['errors'] as { field: string }[])[0]?.field, 'format');
      const since = await get(`/tenants/${tenantA.slug}/audit-records/export?since=last-week`);
      assert.equal((since.body['errors'] as { field: string }[])[0]?.field, 'since');
    });

    it('streams a large export page by page (more records than one page)', async () => {
      const slug = uniqueSlug('aud-big');
      await services.tenants.create(slug);
      const big = await services.tenants.get(slug);
      const count = 2500;
      for (let start = 0; start < count; start += 500)
        await appendAuditRecords(
          infrastructure.persistence,
          big,
          Array.from({ length: 500 }, (_, index) => ({ occurredAt: minute(start + index), username: `user-${start + index}` })),
        );
      const response = await download(`/tenants/${slug}/audit-records/export?format=ndjson`, platform);
      const lines = response.text.trimEnd().split('\n');
      assert.equal(lines.length, count);
      assert.deepEqual(
        lines.map((line) => (JSON.parse(line) as { sequence: number }).sequence),
        Array.from({ length: count }, (_, index) => index + 1),
      );
    });
  });

  describe('chain verification', () => {
    it('an empty chain is intact; an intact chain reports how many records it checked', async () => {
      const slug = uniqueSlug('aud-v0');
      await services.tenants.create(slug);
      assert.deepEqual((await get(`/tenants/${slug}/audit-records/verify`, platform)).body, { intact: true, checked: 0 });
      assert.deepEqual((await get(`/tenants/${tenantA.slug}/audit-records/verify`)).body, { intact: true, checked: 5 });
    });

    it('a record changed in the database is named: its sequence, its id, hash_mismatch', async () => {
      const slug = uniqueSlug('aud-v');
      await services.tenants.create(slug);
      const tenant = await services.tenants.get(slug);
      const chain = await appendAuditRecords(
        infrastructure.persistence,
        tenant,
        Array.from({ length: 6 }, (_, index) => ({ username: `user-${index}`, risk: { score: 10 * index, reasons: [] } })),
      );
      assert.deepEqual((await get(`/tenants/${slug}/audit-records/verify`, platform)).body, { intact: true, checked: 6 });

      // An attacker with database access lowers a risk score.
      await infrastructure.database.dataSource.query(`UPDATE audit_records SET risk_score = 0 WHERE tenant_id = $1 AND sequence = 4`, [
        tenant.id,
      ]);
      assert.deepEqual((await get(`/tenants/${slug}/audit-records/verify`, platform)).body, {
        intact: false,
        checked: 4,
        first_break: { sequence: 4, id: chain[3]?.id, reason: 'hash_mismatch' },
      });
    });

    it('records cut from the end of the chain are a head_mismatch', async () => {
      const slug = uniqueSlug('aud-vt');
      await services.tenants.create(slug);
      const tenant = await services.tenants.get(slug);
      await appendAuditRecords(infrastructure.persistence, tenant, [{}, {}, {}]);
      await infrastructure.database.dataSource.query(`DELETE FROM audit_records WHERE tenant_id = $1 AND sequence = 3`, [tenant.id]);
      assert.deepEqual((await get(`/tenants/${slug}/audit-records/verify`, platform)).body, {
        intact: false,
        checked: 2,
        first_break: { sequence: 3, id: null, reason: 'head_mismatch' },
      });
    });
  });
});
