import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ensurePrivateDir, tightenTree, writePrivateFile } from './private-files.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('private files in DATA_DIR', () => {
  it('ensurePrivateDir creates 0700 and tightens an existing 0755 directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'gh-private-'));
    chmodSync(root, 0o755);
    ensurePrivateDir(root);
    assert.equal(mode(root), 0o700);
    ensurePrivateDir(join(root, 'a', 'b'));
    assert.equal(mode(join(root, 'a', 'b')), 0o700);
  });

  it('tightenTree makes directories 0700 and files 0600 and leaves symbolic links alone', () => {
    const root = mkdtempSync(join(tmpdir(), 'gh-private-'));
    const outside = mkdtempSync(join(tmpdir(), 'gh-outside-'));
    chmodSync(outside, 0o755);
    mkdirSync(join(root, 'base'), { mode: 0o755 });
    writeFileSync(join(root, 'base', 'PG_VERSION'), '17', { mode: 0o666 });
    chmodSync(join(root, 'base', 'PG_VERSION'), 0o666);
    symlinkSync(outside, join(root, 'link'));
    tightenTree(root);
    assert.equal(mode(join(root, 'base')), 0o700);
    assert.equal(mode(join(root, 'base', 'PG_VERSION')), 0o600);
    assert.equal(mode(outside), 0o755, 'a link is not followed');
  });

  it('writePrivateFile writes 0600 in a 0700 directory, replacing an older file', () => {
    const root = mkdtempSync(join(tmpdir(), 'gh-private-'));
    const path = join(root, 'data', 'admin-password');
    writePrivateFile(path, 'first\n');
    writePrivateFile(path, 'second\n');
    assert.equal(readFileSync(path, 'utf8'), 'second\n');
    assert.equal(mode(path), 0o600);
    assert.equal(mode(join(root, 'data')), 0o700);
  });
});
