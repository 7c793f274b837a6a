import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuditRecord } from '@gatehouse/audit';
import { openDatabase, Persistence, type Database, type Tenant } from '@gatehouse/persistence';
import { appendAuditRecords, type AuditRecordSpec } from '../../../../test/support/audit-records.fixture.js';
import { holdEmbeddedDatabase, ownPostgresDatabase, processEnv, runCli, uniqueSlug, type CliRun } from '../../../../test/support/index.js';

const env = processEnv({ PUBLIC_URL: 'https://id.example.test', LOG_LEVEL: 'warn' });

function jsonOf(run: CliRun, code = 0): Record<string, unknown> {
  assert.equal(run.code, code, `exit ${run.code}: ${run.stderr}`);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `stdout must be one JSON object, got:\n${run.stdout}`);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}

/** Opens the database the CLI uses (between CLI runs: the embedded one serves one process at a time). */
async function withDatabase<T>(work: (persistence: Persistence, database: Database) => Promise<T>): Promise<T> {
  const url = env['DATABASE_URL'];
  const database = await openDatabase(url ? { kind: 'postgres', url, poolSize: 2 } : { kind: 'embedded', dataDir: env['DATA_DIR'] ?? '' });
  try {
    return await work(new Persistence(database), database);
  } finally {
    await database.close();
  }
}

async function createTenantWith(specs: AuditRecordSpec[]): Promise<{ slug: string; tenant: Tenant; records: AuditRecord[] }> {
  const slug = uniqueSlug('cli-aud');
  assert.equal((await runCli(['tenant', 'create', slug, '--json'], env)).code, 0);
  return withDatabase(async (persistence) => {
    const tenant = await persistence.repositories.tenants.findBySlug(slug);
    assert.ok(tenant);
    return { slug, tenant, records: await appendAuditRecords(persistence, tenant, specs) };
  });
}

describe('gatehouse CLI: audit', () => {
  // Its tests read whole chains, which another suite's audit worker on the shared database could extend.
  const database = ownPostgresDatabase(env);
  after(() => database.drop());
  // Commands join the database held here, as beside a running server (test/support/cli.ts).
  holdEmbeddedDatabase(env);

  let slug: string;
  let records: AuditRecord[];

  before(async () => {
    ({ slug, records } = await createTenantWith([
      {
        type: 'login.succeeded',
        occurredAt: new Date('2026-04-01T08:00:00Z'),
        userId: 'u-ann',
        username: 'ann',
        clientId: 'web',
        ip: '198.51.100.1',
      },
      {
        type: 'login.failed',
        outcome: 'failure',
        occurredAt: new Date('2026-04-01T08:05:00Z'),
        username: 'mallory',
        ip: '203.0.113.66',
        userAgent: 'curl/8.5.0',
        errorCode: 'access_denied',
        risk: { score: 40, reasons: [{ rule: 'velocity.user', points: 40, detail: '6 attempts in 5 minutes' }] },
      },
      {
        type: 'token.issued',
        occurredAt: new Date('2026-04-01T08:10:00Z'),
        clientId: 'batch-job',
        details: { grant_type: 'client_credentials' },
      },
    ]));
  });

  describe('audit list', () => {
    it('--json prints {"records":[...]} newest first with exactly the contract keys', async () => {
      const output = jsonOf(await runCli(['audit', 'list', '--tenant', slug, '--json'], env));
      assert.deepEqual(output, {
        records: [
          {
            id: records[2]?.id,
            type: 'token.issued',
            time: '2026-04-01T08:10:00.000Z',
            outcome: 'success',
            user: null,
            client: 'batch-job',
            ip: null,
            risk: { score: 0, reasons: [] },
          },
          {
            id: records[1]?.id,
            type: 'login.failed',
            time: '2026-04-01T08:05:00.000Z',
            outcome: 'failure',
            user: 'mallory',
            client: null,
            ip: '203.0.113.66',
            risk: { score: 40, reasons: [{ rule: 'velocity.user', points: 40, detail: '6 attempts in 5 minutes' }] },
          },
          {
            id: records[0]?.id,
            type: 'login.succeeded',
            time: '2026-04-01T08:00:00.000Z',
            outcome: 'success',
            user: 'u-ann',
            client: 'web',
            ip: '198.51.100.1',
            risk: { score: 0, reasons: [] },
          },
        ],
      });
      // Key order is part of what scripts see.
      assert.deepEqual(Object.keys((output['records'] as Record<string, unknown>[])[0] ?? {}), [
        'id',
        'type',
        'time',
        'outcome',
        'user',
        'client',
        'ip',
        'risk',
      ]);
    });

    it('--type, --since and --limit narrow the list', async () => {
      const ids = async (...args: string[]) =>
        (jsonOf(await runCli(['audit', 'list', '--tenant', slug, ...args, '--json'], env))['records'] as { id: string }[]).map((r) => r.id);
      assert.deepEqual(await ids('--type', 'login.failed'), [records[1]?.id]);
      assert.deepEqual(await ids('--since', '2026-04-01T08:05:00Z'), [records[2]?.id, records[1]?.id]);
      assert.deepEqual(await ids('--limit', '1'), [records[2]?.id]);
      assert.deepEqual(await ids('--since', '2026-04-01T08:01:00Z', '--type', 'login.succeeded'), []);
    });

    it('without --json prints one readable line per record', async () => {
      const run = await runCli(['audit', 'list', '--tenant', slug], env);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /2026-04-01T08:05:00.000Z login.failed\s+failure\s+mallory\s+203.0.113.66\s+risk 40/);
      assert.equal(run.stdout.trim().split('\n').length, 3);
    });

    it('refuses a bad filter, an unknown tenant and a missing --tenant, without a stack trace', async () => {
      const since = await runCli(['audit', 'list', '--tenant', slug, '--since', 'last tuesday', '--json'], env);
      assert.equal(since.code, 1);
      assert.equal(since.stdout, '');
      assert.match(since.stderr, /since must be an ISO 8601 date-time/);
      assert.match((await runCli(['audit', 'list', '--tenant', slug, '--type', 'nope'], env)).stderr, /type must be one of/);
      assert.equal((await runCli(['audit', 'list', '--tenant', slug, '--limit', '0'], env)).code, 1);
      const unknown = await runCli(['audit', 'list', '--tenant', uniqueSlug('none'), '--json'], env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /unknown tenant/);
      const missing = await runCli(['audit', 'list'], env);
      assert.equal(missing.code, 2);
      assert.doesNotMatch(`${since.stderr}${unknown.stderr}${missing.stderr}`, /\n\s+at .+:\d+:\d+/);
    });
  });

  describe('audit verify', () => {
    it('an intact chain: exit 0 and the count checked', async () => {
      const run = await runCli(['audit', 'verify', '--tenant', slug], env);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, 'audit chain intact: 3 records checked\n');
      assert.deepEqual(jsonOf(await runCli(['audit', 'verify', '--tenant', slug, '--json'], env)), { intact: true, checked: 3 });
    });

    it('a tampered record: exit 1 naming it, in text and in JSON', async () => {
      const {
        slug: tampered,
        tenant,
        records: chain,
      } = await createTenantWith(Array.from({ length: 5 }, (_, index) => ({ username: `user-${index}`, ip: '192.0.2.10' })));
      assert.equal((await runCli(['audit', 'verify', '--tenant', tampered], env)).code, 0);
      await withDatabase(async (_persistence, database) => {
        // Someone with database access rewrites where a login came from.
        await database.dataSource.query(`UPDATE audit_records SET ip = '10.0.0.1' WHERE tenant_id = $1 AND sequence = 2`, [tenant.id]);
      });
      const target = chain[1];
      assert.ok(target);
      const run = await runCli(['audit', 'verify', '--tenant', tampered], env);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, `audit chain broken at record ${target.id} (sequence 2): hash_mismatch\n`);
      assert.deepEqual(jsonOf(await runCli(['audit', 'verify', '--tenant', tampered, '--json'], env), 1), {
        intact: false,
        checked: 2,
        first_break: { sequence: 2, id: target.id, reason: 'hash_mismatch' },
      });
    });

    it('an unknown tenant is an error, not an intact chain', async () => {
      const run = await runCli(['audit', 'verify', '--tenant', uniqueSlug('none'), '--json'], env);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /unknown tenant/);
    });
  });
});
