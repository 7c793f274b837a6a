import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { openDatabase, Persistence, type User } from '@gatehouse/persistence';
import { holdEmbeddedDatabase, processEnv, runCli, uniqueSlug, type CliRun } from '../../../../test/support/index.js';

const env = processEnv({ PUBLIC_URL: 'https://id.example.test', LOG_LEVEL: 'warn' });
const GOOD_PASSWORD = 'correct horse battery staple';

function jsonOf(run: CliRun): Record<string, unknown> {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `stdout must be one JSON object, got:\n${run.stdout}`);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}

function assertRefused(run: CliRun, message: RegExp): void {
  assert.notEqual(run.code, 0, 'must exit non-zero');
  assert.equal(run.stdout, '', 'nothing on stdout');
  assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

/** The stored user (the CLI has exited), or null. */
async function storedUser(tenant: string, username: string): Promise<User | null> {
  const url = env['DATABASE_URL'];
  const database = await openDatabase(url ? { kind: 'postgres', url, poolSize: 2 } : { kind: 'embedded', dataDir: env['DATA_DIR'] ?? '' });
  try {
    const persistence = new Persistence(database);
    const owner = await persistence.repositories.tenants.findBySlug(tenant);
    assert.ok(owner, `tenant ${tenant} exists`);
    return await persistence.repositories.users.findByUsername(owner.id, username);
  } finally {
    await database.close();
  }
}

describe('gatehouse CLI: user create --role (admin roles for system-tenant users)', () => {
  // Commands join the database held here, as beside a running server (test/support/cli.ts).
  holdEmbeddedDatabase(env);

  const tenant = uniqueSlug('roles');
  const create = (args: string[], stdin?: string) => runCli(['user', 'create', ...args], env, stdin);

  before(async () => {
    jsonOf(await runCli(['tenant', 'create', tenant, '--json'], env));
  });

  it('grants repeated --role values to a system user; the JSON adds roles to the usual shape', async () => {
    const username = uniqueSlug('ops');
    const created = jsonOf(
      await create(
        [
          '--tenant',
          'system',
          '--username',
          username,
          '--password-stdin',
          '--role',
          `tenant_admin:${tenant}`,
          '--role',
          `security_analyst:${tenant}`,
          '--role',
          `tenant_admin:${tenant}`,
          '--json',
        ],
        `${GOOD_PASSWORD}\n`,
      ),
    );
    assert.deepEqual(Object.keys(created).sort(), ['email', 'id', 'roles', 'tenant', 'username']);
    assert.deepEqual(created['roles'], [`tenant_admin:${tenant}`, `security_analyst:${tenant}`]);
    assert.equal(created['tenant'], 'system');
    assert.deepEqual((await storedUser('system', username))?.roles, [`tenant_admin:${tenant}`, `security_analyst:${tenant}`]);
  });

  it('grants platform_admin, and says so in the human output', async () => {
    const username = uniqueSlug('root');
    const run = await create(['--tenant', 'system', '--username', username, '--role', 'platform_admin']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`Created user ${username} in tenant system \\(no password set\\) with roles platform_admin`));
    assert.deepEqual((await storedUser('system', username))?.roles, ['platform_admin']);
  });

  it('without --role the JSON shape is unchanged and the user has no roles', async () => {
    const username = uniqueSlug('plain');
    const created = jsonOf(await create(['--tenant', 'system', '--username', username, '--json']));
    assert.deepEqual(Object.keys(created).sort(), ['email', 'id', 'tenant', 'username']);
    assert.deepEqual((await storedUser('system', username))?.roles, []);
  });

  it('refuses a malformed or unknown role, and creates nothing', async () => {
    for (const role of ['superuser', 'tenant_admin', 'platform_admin:acme', `tenant_admin:${tenant}:x`, 'security_analyst:']) {
      const username = uniqueSlug('bad');
      assertRefused(
        await create(['--tenant', 'system', '--username', username, '--role', role]),
        /error: role ".*" must be platform_admin, tenant_admin:<tenant> or security_analyst:<tenant>/,
      );
      assert.equal(await storedUser('system', username), null, role);
    }
  });

  it('refuses a tenant role for a tenant that does not exist, and creates nothing', async () => {
    const username = uniqueSlug('typo');
    assertRefused(
      await create(['--tenant', 'system', '--username', username, '--role', 'tenant_admin:no-such-tenant']),
      /unknown tenant "no-such-tenant"/,
    );
    assert.equal(await storedUser('system', username), null);
  });

  it('refuses roles outside the system tenant with a clear message, and creates nothing', async () => {
    const username = uniqueSlug('elsewhere');
    assertRefused(
      await create(['--tenant', tenant, '--username', username, '--role', 'platform_admin']),
      /error: admin roles are granted to users of the "system" tenant only/,
    );
    assert.equal(await storedUser(tenant, username), null);
  });
});
