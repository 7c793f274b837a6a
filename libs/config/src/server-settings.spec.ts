import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from './load-config.js';
import { recordServerSettings, withServerSettings } from './server-settings.js';

describe('server settings in DATA_DIR (embedded database)', () => {
  it("a CLI run without PUBLIC_URL takes the running server's; the environment wins; PostgreSQL setups are left alone", () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gh-settings-'));
    recordServerSettings(loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://id.example.test' }, dataDir));
    assert.equal(withServerSettings({ DATA_DIR: dataDir })['PUBLIC_URL'], 'https://id.example.test');
    assert.equal(withServerSettings({ DATA_DIR: dataDir, PUBLIC_URL: 'https://other.test' })['PUBLIC_URL'], 'https://other.test');
    assert.equal(withServerSettings({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://db/x' })['PUBLIC_URL'], undefined);
    assert.equal(withServerSettings({ DATA_DIR: join(dataDir, 'none') })['PUBLIC_URL'], undefined);
  });
});
