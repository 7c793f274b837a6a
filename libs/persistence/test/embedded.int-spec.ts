import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase, Persistence, runMigrations } from '@gatehouse/persistence';

describe('embedded PGlite in DATA_DIR', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-embedded-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps data across a restart', async () => {
    const first = await openDatabase({ kind: 'embedded', dataDir });
    await runMigrations(first);
    await new Persistence(first).repositories.tenants.insert({ slug: 'kept', name: 'Kept' });
    await first.close();
    assert.equal(existsSync(join(dataDir, 'pglite.lock')), false, 'closing releases the lock');

    const second = await openDatabase({ kind: 'embedded', dataDir });
    try {
      assert.deepEqual((await runMigrations(second)).applied, []);
      assert.equal((await new Persistence(second).repositories.tenants.findBySlug('kept'))?.name, 'Kept');
    } finally {
      await second.close();
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
