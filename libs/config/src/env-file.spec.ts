import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from './config-error.js';
import { withEnvFile } from './env-file.js';

function directoryWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gh-envfile-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('withEnvFile', () => {
  it('reads .env in the working directory, under the environment', () => {
    const dir = directoryWith({ '.env': 'PUBLIC_URL=https://id.example.test\n# a comment\nLOG_LEVEL="debug"\nADMIN_PORT=4001\n' });
    const env = withEnvFile({ ADMIN_PORT: '5001' }, dir);
    assert.equal(env['PUBLIC_URL'], 'https://id.example.test');
    assert.equal(env['LOG_LEVEL'], 'debug');
    assert.equal(env['ADMIN_PORT'], '5001', 'the environment wins');
  });

  it('without a .env, the environment as it is', () => {
    const env = { LOG_LEVEL: 'warn' };
    assert.deepEqual(withEnvFile(env, directoryWith({})), env);
  });

  it('ENV_FILE names another file, relative to the working directory; empty reads none', () => {
    const dir = directoryWith({ 'prod.env': 'LOG_LEVEL=error\n', '.env': 'LOG_LEVEL=trace\n' });
    assert.equal(withEnvFile({ ENV_FILE: 'prod.env' }, dir)['LOG_LEVEL'], 'error');
    assert.equal(withEnvFile({ ENV_FILE: '' }, dir)['LOG_LEVEL'], undefined);
  });

  it('a named file that cannot be read is a configuration error naming ENV_FILE', () => {
    assert.throws(
      () => withEnvFile({ ENV_FILE: 'missing.env' }, directoryWith({})),
      (error: unknown) => error instanceof ConfigError && /^ENV_FILE: cannot read .*missing\.env \(ENOENT\)$/.test(error.problems[0] ?? ''),
    );
  });
});
