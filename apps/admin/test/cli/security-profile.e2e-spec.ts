import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holdEmbeddedDatabase, processEnv, runCli, uniqueSlug, type CliRun } from '../../../../test/support/index.js';

const env = processEnv({ PUBLIC_URL: 'https://id.example.test', LOG_LEVEL: 'warn' });

function jsonOf(run: CliRun): Record<string, unknown> {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout.trim()) as Record<string, unknown>;
}

/** The FAPI 2.0 switch from the command line (docs/adr/0020): set at creation, set and unset later. */
describe('gatehouse CLI: tenant security profile', () => {
  // Commands join the database held here, as beside a running server (test/support/cli.ts).
  holdEmbeddedDatabase(env);

  it('tenant create --security-profile fapi2, then tenant update --security-profile none and back', async () => {
    const slug = uniqueSlug('clifapi');
    jsonOf(await runCli(['tenant', 'create', slug, '--security-profile', 'fapi2', '--json'], env));
    assert.equal(jsonOf(await runCli(['tenant', 'get', slug, '--json'], env))['security_profile'], 'fapi2');
    assert.equal(jsonOf(await runCli(['tenant', 'update', slug, '--security-profile', 'none', '--json'], env))['security_profile'], 'none');
    const back = jsonOf(await runCli(['tenant', 'update', slug, '--security-profile', 'fapi2', '--json'], env));
    assert.equal(back['security_profile'], 'fapi2');
  });

  it('refuses an unknown profile, an RS256 tenant, and an update with nothing to change', async () => {
    const slug = uniqueSlug('clirs');
    const unknown = await runCli(['tenant', 'create', slug, '--security-profile', 'fapi1'], env);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /security_profile must be one of none, fapi2/);
    jsonOf(await runCli(['tenant', 'create', slug, '--access-token-alg', 'RS256', '--json'], env));
    const rs256 = await runCli(['tenant', 'update', slug, '--security-profile', 'fapi2'], env);
    assert.notEqual(rs256.code, 0);
    assert.match(rs256.stderr, /fapi2 needs access_token_alg ES256, PS256, EdDSA/);
    // Both in one step is accepted: the tenant gets an ES256 key and the profile together.
    const both = jsonOf(
      await runCli(['tenant', 'update', slug, '--access-token-alg', 'ES256', '--security-profile', 'fapi2', '--json'], env),
    );
    assert.equal(both['access_token_alg'], 'ES256');
    assert.equal(both['security_profile'], 'fapi2');
    const nothing = await runCli(['tenant', 'update', slug], env);
    assert.notEqual(nothing.code, 0);
    assert.match(nothing.stderr, /needs --access-token-alg, --security-profile or --device-authorization/);
  });

  it('turns the device authorization grant on and off (RFC 8628), and refuses another value', async () => {
    const slug = uniqueSlug('clidev');
    jsonOf(await runCli(['tenant', 'create', slug, '--json'], env));
    const on = jsonOf(await runCli(['tenant', 'update', slug, '--device-authorization', 'enabled', '--json'], env)) as {
      device_authorization: { enabled: boolean; polling_interval_seconds: number };
    };
    assert.equal(on.device_authorization.enabled, true);
    assert.equal(on.device_authorization.polling_interval_seconds, 5);
    const off = jsonOf(await runCli(['tenant', 'update', slug, '--device-authorization', 'disabled', '--json'], env)) as {
      device_authorization: { enabled: boolean };
    };
    assert.equal(off.device_authorization.enabled, false);
    const wrong = await runCli(['tenant', 'update', slug, '--device-authorization', 'yes'], env);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /--device-authorization is enabled or disabled/);
  });
});
