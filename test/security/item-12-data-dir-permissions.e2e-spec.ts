import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { ENTRY_POINTS, processEnv, startProcess, type RunningProcess } from '../support/index.js';

/** Every directory and regular file under `root` (root included) with its permission bits. */
function modesUnder(root: string): { path: string; kind: 'dir' | 'file'; mode: number }[] {
  const stats = lstatSync(root);
  if (stats.isDirectory()) {
    return [{ path: root, kind: 'dir', mode: stats.mode & 0o777 }, ...readdirSync(root).flatMap((entry) => modesUnder(join(root, entry)))];
  }
  return stats.isFile() ? [{ path: root, kind: 'file', mode: stats.mode & 0o777 }] : [];
}

function assertPrivate(dataDir: string): void {
  const entries = modesUnder(dataDir);
  const open = entries.filter(({ kind, mode }) => mode !== (kind === 'dir' ? 0o700 : 0o600));
  assert.deepEqual(
    open.map(({ path, mode }) => `${relative(dataDir, path) || '.'} ${mode.toString(8)}`),
    [],
    'every directory 0700 and every file 0600',
  );
  assert.ok(
    entries.some(({ path }) => path.includes(`${join(dataDir, 'pglite')}/`)),
    'the database files were checked',
  );
}

/**
 * Issue 10 item 12: the embedded database, its socket directory, the lock, the generated
 * key-encryption key and the generated admin password are private to the service user even
 * when DATA_DIR already existed more open (the Docker image used to pre-create it 0755).
 */
describe('item 12: DATA_DIR permissions', () => {
  let running: RunningProcess | undefined;
  after(async () => {
    await running?.stop();
  });

  it('a DATA_DIR pre-created 0755, with a readable key and database folder, ends up 0700 with files 0600 after start', async () => {
    const env = processEnv({ DATABASE_URL: undefined, REDIS_URL: undefined, KEY_ENCRYPTION_KEY: undefined }, { embedded: true });
    const dataDir = env['DATA_DIR'] ?? assert.fail('no DATA_DIR');
    chmodSync(dataDir, 0o755);
    mkdirSync(join(dataDir, 'pglite'), { mode: 0o755 });
    chmodSync(join(dataDir, 'pglite'), 0o755);
    writeFileSync(join(dataDir, 'key-encryption-key'), `${randomBytes(32).toString('base64')}\n`, { mode: 0o644 });
    chmodSync(join(dataDir, 'key-encryption-key'), 0o644);

    running = startProcess(ENTRY_POINTS.standalone, env);
    await running.waitFor(/Gatehouse is running/, 120_000);
    assertPrivate(dataDir);
    assert.equal(lstatSync(join(dataDir, 'admin-password')).mode & 0o777, 0o600);
    assert.equal(lstatSync(join(dataDir, 'pglite.lock')).mode & 0o777, 0o600);
    assert.equal(lstatSync(join(dataDir, 'run')).mode & 0o777, 0o700, 'the socket directory');
    assert.ok(readFileSync(join(dataDir, 'key-encryption-key'), 'utf8').trim().length > 0, 'the existing key is kept, only tightened');

    assert.equal(await running.stop(), 0);
    running = undefined;
    assertPrivate(dataDir);
  });
});
