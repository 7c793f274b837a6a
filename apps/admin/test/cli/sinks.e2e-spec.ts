import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SinkCredentialsSealer, type AuditRecord } from '@gatehouse/audit';
import { loadConfig } from '@gatehouse/config';
import { openDatabase, Persistence, type Database, type SiemSink, type Tenant } from '@gatehouse/persistence';
import { appendAuditRecords } from '../../../../test/support/audit-records.fixture.js';
import { holdEmbeddedDatabase, processEnv, runCli, uniqueSlug, type CliRun } from '../../../../test/support/index.js';

const env = processEnv({ PUBLIC_URL: 'https://id.example.test', LOG_LEVEL: 'warn', SIEM_ALLOW_PRIVATE_TARGETS: 'true' });
const HEC_TOKEN = `hec-${randomBytes(16).toString('hex')}`;
const WEBHOOK_SECRET = `whsec-${randomBytes(24).toString('base64url')}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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

async function tenantOf(slug: string): Promise<Tenant> {
  return withDatabase(async (persistence) => {
    const tenant = await persistence.repositories.tenants.findBySlug(slug);
    assert.ok(tenant);
    return tenant;
  });
}

async function sinkOf(tenant: Tenant, id: string): Promise<SiemSink> {
  return withDatabase(async (persistence) => {
    const sink = await persistence.repositories.siemSinks.find(tenant.id, id);
    assert.ok(sink, `sink ${id}`);
    return sink;
  });
}

describe('gatehouse CLI: SIEM sinks and dead letters', () => {
  // Commands join the database held here, as beside a running server (test/support/cli.ts).
  holdEmbeddedDatabase(env);

  const slug = uniqueSlug('cli-snk');
  let tenant: Tenant;
  let syslogId: string;
  let hecId: string;
  let webhookId: string;

  before(async () => {
    assert.equal((await runCli(['tenant', 'create', slug, '--json'], env)).code, 0);
    tenant = await tenantOf(slug);
  });
  // The database is shared with other test files, some of which run an audit worker: leave no sink for it to export to.
  after(async () => {
    await withDatabase(async (persistence) => {
      for (const sink of await persistence.repositories.siemSinks.list(tenant.id))
        await persistence.repositories.siemSinks.delete(tenant.id, sink.id);
    });
  });

  describe('sink create', () => {
    it('--json prints exactly {"id"} for each type', async () => {
      const syslog = jsonOf(
        await runCli(['sink', 'create', '--tenant', slug, '--type', 'syslog', '--url', 'tcp://127.0.0.1:6514', '--json'], env),
      );
      assert.deepEqual(Object.keys(syslog), ['id']);
      syslogId = String(syslog['id']);
      assert.match(syslogId, UUID);

      const hecRun = await runCli(
        [
          'sink',
          'create',
          '--tenant',
          slug,
          '--type',
          'splunk-hec',
          '--url',
          'https://127.0.0.1:9',
          '--token',
          HEC_TOKEN,
          '--name',
          'Splunk prod',
          '--ack',
          '--json',
        ],
        env,
      );
      const hec = jsonOf(hecRun);
      assert.deepEqual(Object.keys(hec), ['id']);
      hecId = String(hec['id']);
      assert.ok(!`${hecRun.stdout}${hecRun.stderr}`.includes(HEC_TOKEN));

      const stored = await sinkOf(tenant, hecId);
      assert.equal(stored.name, 'Splunk prod');
      assert.equal(stored.format, 'json');
      assert.equal(stored.ackEnabled, true);
      assert.equal(stored.maxAttempts, 8);
      // Sealed under the deployment's key-encryption key, bound to this sink.
      assert.ok(stored.credentials && !stored.credentials.includes(HEC_TOKEN));
      assert.deepEqual(new SinkCredentialsSealer(loadConfig(env).keyEncryptionKey).open(stored), { token: HEC_TOKEN });
    });

    it('without --json prints one readable line, never the secret', async () => {
      const run = await runCli(
        [
          'sink',
          'create',
          '--tenant',
          slug,
          '--type',
          'webhook',
          '--url',
          'https://127.0.0.1:9/hooks/gatehouse',
          '--secret',
          WEBHOOK_SECRET,
          '--format',
          'ecs',
        ],
        env,
      );
      assert.equal(run.code, 0, run.stderr);
      const match = /^Created webhook sink ([0-9a-f-]{36}) \(ecs to https:\/\/127\.0\.0\.1:9\/hooks\/gatehouse\) in tenant (\S+)\n$/.exec(
        run.stdout,
      );
      assert.ok(match, run.stdout);
      assert.equal(match[2], slug);
      webhookId = match[1] ?? '';
      assert.ok(!`${run.stdout}${run.stderr}`.includes(WEBHOOK_SECRET));
    });

    it('refuses an invalid sink with the field message and a non-zero exit, storing nothing', async () => {
      const cases: [string[], RegExp][] = [
        [['--type', 'syslog', '--url', 'http://siem.example.test:514'], /url must be tcp:\/\/host:port or tls:\/\/host:port/],
        [['--type', 'webhook', '--url', 'https://127.0.0.1:9/h'], /secret is required for a webhook sink/],
        [['--type', 'splunk-hec', '--url', 'https://127.0.0.1:9'], /token is required for a splunk-hec sink/],
        [['--type', 'syslog', '--url', 'tcp://siem.example.test:514', '--format', 'ocsf'], /format: a syslog sink takes cef or json/],
        [['--type', 'webhook', '--url', 'http://siem.example.test/h', '--secret', WEBHOOK_SECRET], /url must be https:\/\//],
        [['--type', 'syslog', '--url', 'tcp://siem.example.test:514', '--ack'], /ack_enabled is only used by splunk-hec sinks/],
      ];
      const before = await withDatabase((persistence) => persistence.repositories.siemSinks.list(tenant.id));
      for (const [args, message] of cases) {
        const run = await runCli(['sink', 'create', '--tenant', slug, ...args, '--json'], env);
        assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
        assert.equal(run.stdout, '');
        assert.match(run.stderr, message);
        assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/);
        assert.ok(!run.stderr.includes(WEBHOOK_SECRET));
      }
      const after = await withDatabase((persistence) => persistence.repositories.siemSinks.list(tenant.id));
      assert.equal(after.length, before.length);

      const missing = await runCli(['sink', 'create', '--tenant', slug, '--type', 'syslog', '--json'], env);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /needs --tenant, --type and --url/);
      const unknown = await runCli(['sink', 'create', '--tenant', uniqueSlug('none'), '--type', 'syslog', '--url', 'tcp://h:1'], env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /unknown tenant/);
    });
  });

  describe('sink list', () => {
    it('--json prints {"sinks":[...]} oldest first with exactly the contract keys and no credentials', async () => {
      const run = await runCli(['sink', 'list', '--tenant', slug, '--json'], env);
      const output = jsonOf(run);
      assert.deepEqual(output, {
        sinks: [
          {
            id: syslogId,
            name: 'syslog 127.0.0.1:6514',
            type: 'syslog',
            url: 'tcp://127.0.0.1:6514',
            format: 'cef',
            enabled: true,
            state: 'healthy',
            exported_sequence: 0,
            last_error: null,
          },
          {
            id: hecId,
            name: 'Splunk prod',
            type: 'splunk-hec',
            url: 'https://127.0.0.1:9',
            format: 'json',
            enabled: true,
            state: 'healthy',
            exported_sequence: 0,
            last_error: null,
          },
          {
            id: webhookId,
            name: 'webhook 127.0.0.1:9',
            type: 'webhook',
            url: 'https://127.0.0.1:9/hooks/gatehouse',
            format: 'ecs',
            enabled: true,
            state: 'healthy',
            exported_sequence: 0,
            last_error: null,
          },
        ],
      });
      assert.deepEqual(Object.keys((output['sinks'] as Record<string, unknown>[])[0] ?? {}), [
        'id',
        'name',
        'type',
        'url',
        'format',
        'enabled',
        'state',
        'exported_sequence',
        'last_error',
      ]);
      assert.ok(!run.stdout.includes(HEC_TOKEN) && !run.stdout.includes(WEBHOOK_SECRET));
    });

    it('without --json prints one line per sink; an empty tenant says so', async () => {
      const run = await runCli(['sink', 'list', '--tenant', slug], env);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.trim().split('\n').length, 3);
      assert.match(run.stdout, new RegExp(`${hecId} splunk-hec json healthy\\s+exported 0 https://127\\.0\\.0\\.1:9`));
      const empty = uniqueSlug('cli-snk0');
      assert.equal((await runCli(['tenant', 'create', empty], env)).code, 0);
      assert.equal((await runCli(['sink', 'list', '--tenant', empty], env)).stdout, 'No SIEM sinks.\n');
      assert.deepEqual(jsonOf(await runCli(['sink', 'list', '--tenant', empty, '--json'], env)), { sinks: [] });
    });
  });

  describe('deadletters', () => {
    let records: AuditRecord[];

    before(async () => {
      records = await withDatabase(async (persistence) => {
        // Paused, so an audit worker of another test file never tries them once the chain moves past them.
        for (const sink of await persistence.repositories.siemSinks.list(tenant.id)) {
          await persistence.repositories.siemSinks.setEnabled(tenant.id, sink.id, false);
        }
        const syslog = await persistence.repositories.siemSinks.find(tenant.id, syslogId);
        const hec = await persistence.repositories.siemSinks.find(tenant.id, hecId);
        assert.ok(syslog && hec);
        const appended = await appendAuditRecords(
          persistence,
          tenant,
          Array.from({ length: 3 }, (_, index) => ({ username: `user-${index}` })),
        );
        await persistence.repositories.siemSinks.deadLetter(
          syslog,
          appended.slice(0, 2),
          'connect ECONNREFUSED 127.0.0.1:6514',
          new Date(),
        );
        await persistence.repositories.siemSinks.deadLetter(hec, appended.slice(2), 'HTTP 503 from the collector', new Date());
        return appended;
      });
    });

    it('list --json prints {"dead_letters":[...]} oldest first with exactly the contract keys', async () => {
      const output = jsonOf(await runCli(['deadletters', 'list', '--tenant', slug, '--json'], env));
      const letters = output['dead_letters'] as Record<string, unknown>[];
      assert.deepEqual(Object.keys(output), ['dead_letters']);
      assert.equal(letters.length, 3);
      for (const letter of letters) {
        assert.deepEqual(Object.keys(letter), ['id', 'sink_id', 'record_id', 'sequence', 'attempts', 'error', 'created_at']);
        assert.match(String(letter['id']), UUID);
        assert.ok(!Number.isNaN(Date.parse(String(letter['created_at']))));
      }
      assert.deepEqual(
        letters.map((letter) => letter['sink_id']),
        [syslogId, syslogId, hecId],
      );
      const last = letters[2];
      assert.deepEqual(
        { record_id: last?.['record_id'], sequence: last?.['sequence'], attempts: last?.['attempts'], error: last?.['error'] },
        { record_id: records[2]?.id, sequence: records[2]?.sequence, attempts: 1, error: 'HTTP 503 from the collector' },
      );
    });

    it('list --sink narrows to one sink; an unknown sink fails', async () => {
      const output = jsonOf(await runCli(['deadletters', 'list', '--tenant', slug, '--sink', syslogId, '--json'], env));
      const letters = output['dead_letters'] as Record<string, unknown>[];
      assert.deepEqual(new Set(letters.map((letter) => letter['record_id'])), new Set(records.slice(0, 2).map((record) => record.id)));
      const unknown = await runCli(['deadletters', 'list', '--tenant', slug, '--sink', randomUUID(), '--json'], env);
      assert.equal(unknown.code, 1);
      assert.equal(unknown.stdout, '');
      assert.match(unknown.stderr, /unknown SIEM sink/);
      const text = await runCli(['deadletters', 'list', '--tenant', slug, '--sink', hecId], env);
      assert.equal(text.code, 0);
      assert.match(
        text.stdout,
        new RegExp(`^\\S+Z ${hecId} record ${records[2]?.id} seq ${records[2]?.sequence} HTTP 503 from the collector\\n$`),
      );
    });

    it('replay --sink marks that sink\'s letters, replay marks all: {"replayed":N}', async () => {
      assert.deepEqual(jsonOf(await runCli(['deadletters', 'replay', '--tenant', slug, '--sink', hecId, '--json'], env)), { replayed: 1 });
      const replayed = (sinkId: string) =>
        withDatabase(async (_persistence, database) =>
          database.dataSource.query<{ replayed_at: Date | null }[]>(`SELECT replayed_at FROM siem_dead_letters WHERE sink_id = $1`, [
            sinkId,
          ]),
        );
      assert.ok((await replayed(hecId)).every((row) => row.replayed_at instanceof Date));
      assert.ok((await replayed(syslogId)).every((row) => row.replayed_at === null));

      const all = await runCli(['deadletters', 'replay', '--tenant', slug], env);
      assert.equal(all.code, 0, all.stderr);
      assert.equal(all.stdout, '3 dead letters queued for replay\n');
      const rows = await replayed(syslogId);
      assert.equal(rows.length, 2);
      assert.ok(rows.every((row) => row.replayed_at instanceof Date));

      const missing = await runCli(['deadletters', 'replay'], env);
      assert.equal(missing.code, 2);
      const unknown = await runCli(['deadletters', 'replay', '--tenant', slug, '--sink', 'nope', '--json'], env);
      assert.equal(unknown.code, 1);
      assert.equal(unknown.stdout, '');
    });

    it("another tenant's sink is unknown to this tenant's commands, and its letters stay as they were", async () => {
      const other = uniqueSlug('cli-snk2');
      assert.equal((await runCli(['tenant', 'create', other], env)).code, 0);
      assert.equal((await runCli(['deadletters', 'list', '--tenant', other, '--sink', syslogId, '--json'], env)).code, 1);
      const before = await withDatabase(async (_persistence, database) =>
        database.dataSource.query<{ id: string; replayed_at: Date | null }[]>(
          `SELECT id, replayed_at FROM siem_dead_letters WHERE tenant_id = $1 ORDER BY id`,
          [tenant.id],
        ),
      );
      assert.equal((await runCli(['deadletters', 'replay', '--tenant', other, '--sink', syslogId, '--json'], env)).code, 1);
      assert.deepEqual(jsonOf(await runCli(['deadletters', 'replay', '--tenant', other, '--json'], env)), { replayed: 0 });
      assert.deepEqual(jsonOf(await runCli(['deadletters', 'list', '--tenant', other, '--json'], env)), { dead_letters: [] });
      const after = await withDatabase(async (_persistence, database) =>
        database.dataSource.query<{ id: string; replayed_at: Date | null }[]>(
          `SELECT id, replayed_at FROM siem_dead_letters WHERE tenant_id = $1 ORDER BY id`,
          [tenant.id],
        ),
      );
      assert.deepEqual(after, before);
    });
  });
});
