import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase, Persistence, runMigrations } from '@gatehouse/persistence';
import { ensureCluster } from '../src/embedded/cluster.js';
import { defaultClusterSeed, writeClusterSeed } from '../src/embedded/cluster-seed.js';
import { embeddedPgliteOptions } from '../src/embedded/pglite-options.js';

describe('embedded PGlite in DATA_DIR', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-embedded-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps data across a restart', async () => {
    const first = await openDatabase({ kind: 'embedded', dataDir });
    await runMigrations(first);
    await new Persistence(first).repositories.tenants.insert({ slug: 'kept', name: 'Kept' });
    await first.close();
    assert.equal(existsSync(join(dataDir, 'pglite.lock')), false, 'closing releases the lock');

    assert.equal(existsSync(join(dataDir, 'pglite.creating')), false, 'the new cluster was moved into place');
    assert.equal(statSync(join(dataDir, 'pglite')).mode & 0o777, 0o700);

    const second = await openDatabase({ kind: 'embedded', dataDir });
    try {
      assert.deepEqual((await runMigrations(second)).applied, []);
      assert.equal((await new Persistence(second).repositories.tenants.findBySlug('kept'))?.name, 'Kept');
      // The small-memory settings of pglite-options.ts are in effect, and durability is PGlite's own.
      const setting = async (name: string) => (await second.dataSource.query<Record<string, string>[]>(`SHOW ${name}`))[0]?.[name];
      assert.equal(await setting('shared_buffers'), '16MB');
      assert.equal(await setting('synchronous_commit'), 'on');
    } finally {
      await second.close();
    }
  });

  it('keeps a commit when its process is killed right after it, without closing the database', async () => {
    const persistence = new URL('../src/index.js', import.meta.url).href;
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { openDatabase, Persistence } = await import(${JSON.stringify(persistence)});
         const database = await openDatabase({ kind: 'embedded', dataDir: ${JSON.stringify(dataDir)} });
         await new Persistence(database).repositories.tenants.insert({ slug: 'killed', name: 'Killed' });
         process.kill(process.pid, 'SIGKILL');`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (...end) => resolve(end)));
    assert.deepEqual([code, signal], [null, 'SIGKILL']);

    const database = await openDatabase({ kind: 'embedded', dataDir });
    try {
      assert.equal((await new Persistence(database).repositories.tenants.findBySlug('killed'))?.name, 'Killed');
    } finally {
      await database.close();
    }
  });

  it('refuses a database directory that holds files but no cluster, rather than writing into it', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'gh-embedded-'));
    try {
      mkdirSync(join(otherDir, 'pglite'));
      writeFileSync(join(otherDir, 'pglite', 'stray'), '');
      await assert.rejects(openDatabase({ kind: 'embedded', dataDir: otherDir }), /holds no database/);
      assert.equal(existsSync(join(otherDir, 'pglite.lock')), false, 'the lock is released');
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('a second opener joins the running server through its private socket instead of opening the files twice', async () => {
    const owner = await openDatabase({ kind: 'embedded', dataDir });
    try {
      assert.equal(statSync(join(dataDir, 'run')).mode & 0o777, 0o700);
      const guest = await openDatabase({ kind: 'embedded', dataDir });
      assert.match(guest.description, /shared/);
      await new Persistence(guest).repositories.tenants.insert({ slug: 'via-guest', name: 'Guest' });
      await guest.close();
      assert.equal(
        (await new Persistence(owner).repositories.tenants.findBySlug('via-guest'))?.name,
        'Guest',
        'the owner still serves after the guest leaves',
      );
    } finally {
      await owner.close();
    }
  });

  it('takes over a lock left by a process that died', async () => {
    writeFileSync(join(dataDir, 'pglite.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, socketDir: '/nonexistent', port: 5432 }));
    const database = await openDatabase({ kind: 'embedded', dataDir });
    try {
      assert.doesNotMatch(database.description, /shared/);
      assert.ok(await new Persistence(database).repositories.tenants.findBySlug('kept'));
    } finally {
      await database.close();
    }
  });
});

describe('a new embedded cluster', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'gh-cluster-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  /** pg_control's system identifier: initdb draws a new one; clusters unpacked from one seed share it. */
  async function systemIdentifierOf(directory: string): Promise<string> {
    const db = await PGlite.create(directory, embeddedPgliteOptions());
    try {
      return (await db.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()')).rows[0]!.id;
    } finally {
      await db.close();
    }
  }

  it("is unpacked from the build's seed for this PGlite release", async () => {
    const seed = defaultClusterSeed();
    assert.ok(seed && existsSync(seed), `the build made ${seed}`);
    assert.equal(await writeClusterSeed(seed), false, 'a seed that is there is not made again');
    await ensureCluster(join(scratch, 'first'));
    await ensureCluster(join(scratch, 'second'));
    assert.equal(await systemIdentifierOf(join(scratch, 'first')), await systemIdentifierOf(join(scratch, 'second')));
  });

  it('is made by initdb when the seed cannot be unpacked', async () => {
    const truncated = join(scratch, 'truncated.tar.gz');
    writeFileSync(truncated, readFileSync(defaultClusterSeed()!).subarray(0, 100_000));
    await ensureCluster(join(scratch, 'made'), truncated);
    await ensureCluster(join(scratch, 'seeded'));
    assert.notEqual(await systemIdentifierOf(join(scratch, 'made')), await systemIdentifierOf(join(scratch, 'seeded')));
    assert.equal(existsSync(join(scratch, 'made.creating')), false, 'the new cluster was moved into place');
  });
});
