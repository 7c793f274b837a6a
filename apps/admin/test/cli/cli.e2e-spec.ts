import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { openDatabase, Persistence } from '@gatehouse/persistence';
import type { TenantId } from '@gatehouse/protocol';
import { hashOpaqueSecret } from '@gatehouse/tokens';
import { holdEmbeddedDatabase, processEnv, runCli, runCliProcess, uniqueSlug, type CliRun } from '../../../../test/support/index.js';

const PUBLIC_URL = 'https://id.example.test';
const env = processEnv({ PUBLIC_URL, LOG_LEVEL: 'warn' });
const GOOD_PASSWORD = 'correct horse battery staple';

/** With --json: exactly one JSON object on stdout and exit 0. */
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

describe('gatehouse CLI', () => {
  // Commands join the database held here, as beside a running server (test/support/cli.ts).
  holdEmbeddedDatabase(env);

  const tenant = uniqueSlug('cli');

  /** Opens the database the CLI wrote to (the CLI has exited) to check what it stored. */
  async function inDatabase(check: (persistence: Persistence, tenantId: TenantId) => Promise<void>): Promise<void> {
    const url = env['DATABASE_URL'];
    const database = await openDatabase(
      url ? { kind: 'postgres', url, poolSize: 2 } : { kind: 'embedded', dataDir: env['DATA_DIR'] ?? '' },
    );
    try {
      const persistence = new Persistence(database);
      const owner = await persistence.repositories.tenants.findBySlug(tenant);
      assert.ok(owner);
      await check(persistence, owner.id);
    } finally {
      await database.close();
    }
  }

  before(async () => {
    const created = jsonOf(await runCli(['tenant', 'create', tenant, '--name', 'CLI Corp', '--json'], env));
    assert.deepEqual(created, { slug: tenant, issuer: `${PUBLIC_URL}/t/${tenant}` });
  });

  describe('tenant', () => {
    it('list --json names every tenant with its issuer, including the bootstrap system tenant', async () => {
      const { tenants } = jsonOf(await runCli(['tenant', 'list', '--json'], env)) as {
        tenants: { slug: string; issuer: string; name: string }[];
      };
      assert.deepEqual(
        tenants.find((t) => t.slug === tenant),
        { slug: tenant, issuer: `${PUBLIC_URL}/t/${tenant}`, name: 'CLI Corp' },
      );
      assert.ok(tenants.some((t) => t.slug === 'system'));
    });

    it('list without --json prints a readable table', async () => {
      const run = await runCli(['tenant', 'list'], env);
      assert.equal(run.code, 0);
      assert.match(run.stdout, new RegExp(`${tenant}\\s+CLI Corp\\s+${PUBLIC_URL}/t/${tenant}`));
    });

    it('refuses a duplicate slug', async () => {
      assertRefused(await runCli(['tenant', 'create', tenant, '--json'], env), /already exists/);
    });

    for (const slug of ['A1', 'a', 'x'.repeat(64), 'under_score', 'dot.ted']) {
      it(`refuses the malformed slug ${JSON.stringify(slug.length > 10 ? `${slug.slice(0, 6)}…` : slug)}`, async () => {
        assertRefused(await runCli(['tenant', 'create', slug, '--json'], env), /slug must be 2-63 lowercase letters, digits or hyphens/);
      });
    }
  });

  describe('user create', () => {
    // A real process: the password comes through the binary's stdin.
    it('creates a user from a password on stdin, stored as an argon2id hash', async () => {
      const run = await runCliProcess(
        ['user', 'create', '--tenant', tenant, '--username', 'Dana', '--email', 'dana@example.com', '--password-stdin', '--json'],
        env,
        `${GOOD_PASSWORD}\n`,
      );
      const user = jsonOf(run);
      assert.equal(user['username'], 'dana');
      assert.equal(user['email'], 'dana@example.com');
      assert.doesNotMatch(run.stdout + run.stderr, /correct horse/);

      await inDatabase(async (persistence, owner) => {
        const stored = await persistence.repositories.users.findPasswordHash(owner, 'dana');
        assert.match(stored?.passwordHash ?? '', /^\$argon2id\$/);
        // Issue 18: a user made with the CLI is audited like one made through the API, by the local operator.
        const events = await persistence.repositories.auditOutbox.listByTenant(owner, 1000);
        const created = events.find((event) => event.type === 'admin.change' && event.details?.['action'] === 'admin.user.created');
        assert.equal(created?.details?.['actor'], 'gatehouse-cli');
        assert.equal(created?.details?.['target'], stored?.userId);
      });
    });

    it('refuses a duplicate username (case-insensitively)', async () => {
      assertRefused(
        await runCli(['user', 'create', '--tenant', tenant, '--username', 'DANA', '--password-stdin'], env, GOOD_PASSWORD),
        /already exists/,
      );
    });

    it('refuses a weak password', async () => {
      assertRefused(
        await runCli(['user', 'create', '--tenant', tenant, '--username', 'erin', '--password-stdin'], env, 'short\n'),
        /at least 12 characters/,
      );
      assertRefused(
        await runCli(['user', 'create', '--tenant', tenant, '--username', 'erin', '--password-stdin'], env, 'password1234'),
        /too common/,
      );
    });

    it('refuses an empty password', async () => {
      assertRefused(await runCli(['user', 'create', '--tenant', tenant, '--username', 'erin', '--password-stdin'], env, '\n'), /empty/);
    });

    it('refuses an unknown tenant', async () => {
      assertRefused(
        await runCli(['user', 'create', '--tenant', 'no-such-tenant', '--username', 'erin', '--password-stdin'], env, GOOD_PASSWORD),
        /unknown tenant "no-such-tenant"/,
      );
    });

    it('list and get users, clients and APIs; delete a client and an API with --yes; tenant get', async () => {
      const users = jsonOf(await runCli(['user', 'list', '--tenant', tenant, '--json'], env))['users'] as { username: string }[];
      assert.ok(users.some((user) => user.username === 'dana'));
      const dana = jsonOf(await runCli(['user', 'get', '--tenant', tenant, '--username', 'dana', '--json'], env));
      assert.equal(dana['username'], 'dana');
      assert.ok(!JSON.stringify(dana).includes('argon2'));
      const created = jsonOf(
        await runCli(['client', 'create', '--tenant', tenant, '--name', 'Doomed', '--grant-type', 'client_credentials', '--json'], env),
      );
      const clientId = String(created['client_id']);
      const clients = jsonOf(await runCli(['client', 'list', '--tenant', tenant, '--json'], env))['clients'] as { client_id: string }[];
      assert.ok(clients.some((client) => client.client_id === clientId));
      assert.equal(
        jsonOf(await runCli(['client', 'get', '--tenant', tenant, '--client-id', clientId, '--json'], env))['client_id'],
        clientId,
      );
      assert.equal((await runCli(['client', 'delete', '--tenant', tenant, '--client-id', clientId], env)).code, 2, 'needs --yes');
      assert.deepEqual(jsonOf(await runCli(['client', 'delete', '--tenant', tenant, '--client-id', clientId, '--yes', '--json'], env)), {
        deleted: clientId,
      });
      assert.equal((await runCli(['client', 'get', '--tenant', tenant, '--client-id', clientId], env)).code, 1);
      const api = jsonOf(
        await runCli(
          ['api', 'create', '--tenant', tenant, '--identifier', 'https://doomed.example.test', '--scope', 'doom:read', '--json'],
          env,
        ),
      );
      const apis = jsonOf(await runCli(['api', 'list', '--tenant', tenant, '--json'], env))['apis'] as { id: string }[];
      assert.ok(apis.some((listed) => listed.id === api['id']));
      assert.deepEqual(jsonOf(await runCli(['api', 'delete', '--tenant', tenant, '--id', String(api['id']), '--yes', '--json'], env)), {
        deleted: 'https://doomed.example.test',
      });
      assert.equal(jsonOf(await runCli(['tenant', 'get', tenant, '--json'], env))['slug'], tenant);
    });

    it('tenant delete needs --yes, refuses the system tenant, and deletes', async () => {
      const doomed = uniqueSlug('cli-del');
      assert.equal((await runCli(['tenant', 'create', doomed, '--json'], env)).code, 0);
      assert.equal((await runCli(['tenant', 'delete', doomed], env)).code, 2);
      assertRefused(await runCli(['tenant', 'delete', 'system', '--yes'], env), /system tenant cannot be deleted/);
      assert.deepEqual(jsonOf(await runCli(['tenant', 'delete', doomed, '--yes', '--json'], env)), { deleted: doomed });
      assertRefused(await runCli(['tenant', 'get', doomed], env), /unknown tenant/);
    });

    it('user delete needs --yes, then erases the user (audited by the local operator)', async () => {
      assert.equal(
        (await runCli(['user', 'create', '--tenant', tenant, '--username', 'gone', '--password-stdin', '--json'], env, GOOD_PASSWORD)).code,
        0,
      );
      const unconfirmed = await runCli(['user', 'delete', '--tenant', tenant, '--username', 'gone'], env);
      assert.equal(unconfirmed.code, 2);
      assert.match(unconfirmed.stderr, /cannot be undone: add --yes/);
      const deleted = jsonOf(await runCli(['user', 'delete', '--tenant', tenant, '--username', 'gone', '--yes', '--json'], env));
      assert.deepEqual(deleted, { deleted: 'gone', sessions: 0, grants: 0 });
      assertRefused(await runCli(['user', 'delete', '--tenant', tenant, '--username', 'gone', '--yes'], env), /unknown user "gone"/);
      await inDatabase(async (persistence, owner) => {
        assert.equal(await persistence.repositories.users.findByUsername(owner, 'gone'), null);
        const events = await persistence.repositories.auditOutbox.listByTenant(owner, 1000);
        const erased = events.find((event) => event.details?.['action'] === 'admin.user.deleted');
        assert.equal(erased?.details?.['actor'], 'gatehouse-cli');
      });
    });

    it('refuses missing required options with usage', async () => {
      const run = await runCli(['user', 'create', '--tenant', tenant], env);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /usage: gatehouse user create --tenant SLUG --username U/);
    });
  });

  describe('client create', () => {
    it('a confidential client gets a secret, shown once and stored only as a hash', async () => {
      const created = jsonOf(
        await runCli(
          [
            'client',
            'create',
            '--tenant',
            tenant,
            '--name',
            'Web',
            '--redirect-uri',
            'https://app.example.com/cb',
            '--redirect-uri',
            'http://127.0.0.1:8080/cb',
            '--scope',
            'openid profile',
            '--json',
          ],
          env,
        ),
      );
      assert.deepEqual(Object.keys(created).sort(), ['client_id', 'client_secret']);
      const clientId = created['client_id'] as string;
      const secret = created['client_secret'] as string;
      assert.ok(Buffer.from(secret, 'base64url').length >= 32);

      await inDatabase(async (persistence, owner) => {
        const client = await persistence.repositories.clients.findByClientId(owner, clientId);
        assert.equal(client?.secretHash, hashOpaqueSecret(secret));
        assert.equal(client?.tokenEndpointAuthMethod, 'client_secret_basic');
        assert.deepEqual(client?.redirectUris, ['https://app.example.com/cb', 'http://127.0.0.1:8080/cb']);
        assert.deepEqual(client?.scopes, ['openid', 'profile']);
      });
    });

    it('a public native client gets no secret', async () => {
      const created = jsonOf(
        await runCli(
          [
            'client',
            'create',
            '--tenant',
            tenant,
            '--name',
            'App',
            '--public',
            '--application-type',
            'native',
            '--redirect-uri',
            'com.example.app:/cb',
            '--json',
          ],
          env,
        ),
      );
      assert.deepEqual(Object.keys(created), ['client_id']);
    });

    it('a private_key_jwt client registers its public JWK Set from --jwks-file', async () => {
      const { publicKey } = await generateKeyPair('ES256', { extractable: true });
      const file = join(env['DATA_DIR'] ?? '', 'client-jwks.json');
      writeFileSync(file, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] }));
      const created = jsonOf(
        await runCli(
          [
            'client',
            'create',
            '--tenant',
            tenant,
            '--name',
            'Service',
            '--grant-type',
            'client_credentials',
            '--auth-method',
            'private_key_jwt',
            '--jwks-file',
            file,
            '--json',
          ],
          env,
        ),
      );
      assert.deepEqual(Object.keys(created), ['client_id']);
    });

    it('a tls_client_auth client from the mTLS flags (RFC 8705); --authorization-details-type must name a tenant type', async () => {
      const base = ['client', 'create', '--tenant', tenant, '--name', 'Certificate', '--grant-type', 'client_credentials', '--json'];
      const created = jsonOf(
        await runCli(
          [...base, '--auth-method', 'tls_client_auth', '--tls-client-auth-san-dns', 'payments.example.test', '--certificate-bound'],
          env,
        ),
      );
      assert.deepEqual(Object.keys(created), ['client_id'], 'a certificate client gets no secret');
      await inDatabase(async (persistence, owner) => {
        const client = await persistence.repositories.clients.findByClientId(owner, created['client_id'] as string);
        assert.deepEqual(client?.tlsClientAuthSubject, { field: 'tls_client_auth_san_dns', value: 'payments.example.test' });
        assert.equal(client?.tlsClientCertificateBoundAccessTokens, true);
        assert.equal(client?.authorizationDetailsTypes, null);
      });
      assertRefused(await runCli([...base, '--auth-method', 'tls_client_auth'], env), /exactly one of tls_client_auth_subject_dn/);
      assertRefused(await runCli([...base, '--authorization-details-type', 'loans'], env), /registers no authorization details types/);
    });

    it('refuses a JWK Set that carries a private key', async () => {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const file = join(env['DATA_DIR'] ?? '', 'private-jwks.json');
      writeFileSync(file, JSON.stringify({ keys: [await exportJWK(privateKey)] }));
      assertRefused(
        await runCli(
          [
            'client',
            'create',
            '--tenant',
            tenant,
            '--name',
            'Leaky',
            '--grant-type',
            'client_credentials',
            '--auth-method',
            'private_key_jwt',
            '--jwks-file',
            file,
          ],
          env,
        ),
        /private or symmetric key material/,
      );
    });

    const refusals: [string, string[], RegExp][] = [
      ['plain http on a public host', ['--redirect-uri', 'http://app.example.com/cb'], /must use https/],
      ['a fragment', ['--redirect-uri', 'https://app.example.com/cb#x'], /fragment/],
      ['a wildcard', ['--redirect-uri', 'https://*.example.com/cb'], /wildcard/],
      ['a code flow without redirect URIs', [], /needs at least one redirect_uri/],
      [
        'an unknown grant type',
        ['--grant-type', 'password', '--redirect-uri', 'https://a.example.com/cb'],
        /unsupported grant type "password"/,
      ],
      ['implicit', ['--grant-type', 'implicit', '--redirect-uri', 'https://a.example.com/cb'], /unsupported grant type "implicit"/],
      [
        'client_credentials for a public client',
        ['--public', '--grant-type', 'client_credentials'],
        /public client cannot use the client_credentials/,
      ],
      [
        'private_key_jwt without a JWK Set',
        ['--grant-type', 'client_credentials', '--auth-method', 'private_key_jwt'],
        /needs a public JWK Set/,
      ],
      ['an unknown auth method', ['--auth-method', 'tls_magic', '--redirect-uri', 'https://a.example.com/cb'], /auth method must be/],
      ['a private-use scheme for a web client', ['--redirect-uri', 'com.example.app:/cb'], /must use https/],
      ['a malformed scope', ['--redirect-uri', 'https://a.example.com/cb', '--scope', 'openid "x"'], /scope must be/],
    ];
    for (const [what, args, message] of refusals) {
      it(`refuses ${what}`, async () => {
        assertRefused(await runCli(['client', 'create', '--tenant', tenant, '--name', 'Bad', ...args, '--json'], env), message);
      });
    }
  });

  describe('keys rotate', () => {
    it('creates new keys for the access-token algorithm and RS256', async () => {
      const result = jsonOf(await runCli(['keys', 'rotate', '--tenant', tenant, '--json'], env)) as {
        tenant: string;
        keys: { kid: string; alg: string; activates_at: string }[];
      };
      assert.equal(result.tenant, tenant);
      assert.deepEqual(
        result.keys.map((k) => k.alg),
        ['ES256', 'RS256'],
      );
      assert.ok(result.keys.every((k) => k.kid.length === 43 && !Number.isNaN(Date.parse(k.activates_at))));
    });

    it('refuses an unknown tenant', async () => {
      assertRefused(await runCli(['keys', 'rotate', '--tenant', 'missing-tenant', '--json'], env), /unknown tenant/);
    });
  });

  describe('user revoke-sessions', () => {
    it('reports what it ended and revoked', async () => {
      const result = jsonOf(await runCli(['user', 'revoke-sessions', '--tenant', tenant, '--username', 'dana', '--json'], env));
      assert.deepEqual(result, { sessions: 0, grants: 0, backchannel_logouts: 0 });
    });

    it('refuses an unknown user', async () => {
      assertRefused(await runCli(['user', 'revoke-sessions', '--tenant', tenant, '--username', 'nobody', '--json'], env), /unknown user/);
    });
  });

  describe('user reset-factors', () => {
    it("removes the user's TOTP factor and recovery codes, and says when there was none", async () => {
      await inDatabase(async (persistence, owner) => {
        const user = await persistence.repositories.users.findByUsername(owner, 'dana');
        assert.ok(user);
        await persistence.repositories.secondFactors.savePendingTotp(owner, user.id, 'v1.sealed');
        await persistence.repositories.secondFactors.replaceRecoveryCodes(owner, user.id, ['h1']);
      });
      const result = jsonOf(await runCli(['user', 'reset-factors', '--tenant', tenant, '--username', 'dana', '--json'], env));
      assert.deepEqual(result, { tenant, username: 'dana', factors_removed: true });
      await inDatabase(async (persistence, owner) => {
        const user = await persistence.repositories.users.findByUsername(owner, 'dana');
        assert.equal(await persistence.repositories.secondFactors.findTotp(owner, user?.id ?? ''), null);
      });
      const again = jsonOf(await runCli(['user', 'reset-factors', '--tenant', tenant, '--username', 'dana', '--json'], env));
      assert.equal(again['factors_removed'], false);
    });

    it('refuses an unknown user', async () => {
      assertRefused(await runCli(['user', 'reset-factors', '--tenant', tenant, '--username', 'nobody', '--json'], env), /unknown user/);
    });
  });

  describe('user unlock', () => {
    it('lifts a hard lock and a temporary one, resets both counts, and is audited', async () => {
      await inDatabase(async (persistence, owner) => {
        const policy = { threshold: 3, lockoutSeconds: 600, hardLockThreshold: 10 };
        for (let i = 0; i < 10; i++)
          await persistence.repositories.users.recordFailedLogin(owner, 'dana', new Date(Date.now() + i * 601_000), policy);
        const user = await persistence.repositories.users.findByUsername(owner, 'dana');
        assert.ok(user?.hardLockedAt, 'hard-locked before');
      });
      const result = jsonOf(await runCli(['user', 'unlock', '--tenant', tenant, '--username', 'dana', '--json'], env));
      assert.deepEqual(result, { tenant, username: 'dana', locked: false });
      await inDatabase(async (persistence, owner) => {
        const user = await persistence.repositories.users.findByUsername(owner, 'dana');
        assert.equal(user?.hardLockedAt, null);
        assert.equal(user?.lockedUntil, null);
        assert.equal(user?.consecutiveFailedLogins, 0);
        assert.equal(user?.failedLoginCount, 0);
        const events = await persistence.repositories.auditOutbox.listByTenant(owner, 1000);
        const unlocked = events.filter((event) => event.type === 'admin.change' && event.details?.['action'] === 'admin.user.unlocked');
        assert.equal(unlocked.length, 1);
        assert.equal((unlocked[0]?.details?.['before'] as Record<string, unknown> | undefined)?.['hard_locked'], true);
      });
    });

    it('refuses an unknown user and a missing --username', async () => {
      assertRefused(await runCli(['user', 'unlock', '--tenant', tenant, '--username', 'nobody', '--json'], env), /unknown user/);
      const usage = await runCli(['user', 'unlock', '--tenant', tenant, 'dana', '--json'], env);
      assert.equal(usage.code, 2, 'a positional username is a usage error: --username names it');
    });
  });

  describe('admin token', () => {
    it('mints a short-lived platform admin token by default, and a tenant-scoped one with --tenant', async () => {
      const platform = jsonOf(await runCli(['admin', 'token', '--json'], env));
      assert.deepEqual(Object.keys(platform).sort(), ['access_token', 'expires_in']);
      assert.ok((platform['expires_in'] as number) <= 900);
      const claims = JSON.parse(Buffer.from(String(platform['access_token']).split('.')[1] ?? '', 'base64url').toString()) as Record<
        string,
        unknown
      >;
      assert.deepEqual(claims['gatehouse_roles'], ['platform_admin']);
      assert.equal(claims['aud'], 'urn:gatehouse:admin');
      const scoped = jsonOf(await runCli(['admin', 'token', '--tenant', tenant, '--role', 'security_analyst', '--json'], env));
      const scopedClaims = JSON.parse(Buffer.from(String(scoped['access_token']).split('.')[1] ?? '', 'base64url').toString()) as Record<
        string,
        unknown
      >;
      assert.deepEqual(scopedClaims['gatehouse_roles'], [`security_analyst:${tenant}`]);
      // Issue 18: who minted an admin token, for which role and tenant, is audited there; the token is not.
      await inDatabase(async (persistence, owner) => {
        const events = await persistence.repositories.auditOutbox.listByTenant(owner, 1000);
        const minted = events.filter((event) => event.type === 'admin.change' && event.details?.['action'] === 'admin.token.minted');
        assert.equal(minted.length, 1);
        assert.equal(minted[0]?.details?.['actor'], 'gatehouse-cli');
        assert.equal(minted[0]?.details?.['target'], scopedClaims['jti']);
        assert.deepEqual((minted[0]?.details?.['after'] as Record<string, unknown>)['role'], 'security_analyst');
        assert.ok(!JSON.stringify(events).includes(String(scoped['access_token'])), 'the token itself is not in the audit trail');
      });
    });

    it('--dpop-jkt binds the token to a key (RFC 9449 cnf.jkt) and says token_type DPoP; a malformed thumbprint is refused', async () => {
      const jkt = createHash('sha256').update('a key').digest('base64url');
      const minted = jsonOf(await runCli(['admin', 'token', '--dpop-jkt', jkt, '--json'], env));
      assert.deepEqual(Object.keys(minted).sort(), ['access_token', 'expires_in', 'token_type']);
      assert.equal(minted['token_type'], 'DPoP');
      const claims = JSON.parse(Buffer.from(String(minted['access_token']).split('.')[1] ?? '', 'base64url').toString()) as Record<
        string,
        unknown
      >;
      assert.deepEqual(claims['cnf'], { jkt });
      assertRefused(await runCli(['admin', 'token', '--dpop-jkt', 'short', '--json'], env), /RFC 7638/);
    });

    it('refuses an unknown role or tenant', async () => {
      assertRefused(await runCli(['admin', 'token', '--role', 'god', '--json'], env), /role must be one of/);
      assertRefused(await runCli(['admin', 'token', '--tenant', 'no-such-tenant', '--json'], env), /unknown tenant/);
    });
  });

  describe('registration-token create', () => {
    it('prints the initial access token once, as {"token"}, with the registration policy it carries', async () => {
      const created = jsonOf(await runCli(['registration-token', 'create', '--tenant', tenant, '--expires-in', '3600', '--json'], env));
      assert.deepEqual(Object.keys(created), ['token', 'policy']);
      assert.ok(Buffer.from(String(created['token']), 'base64url').length >= 32);
      assert.deepEqual((created['policy'] as Record<string, unknown>)['grant_types'], ['authorization_code', 'refresh_token']);
      const narrow = jsonOf(
        await runCli(
          [
            'registration-token',
            'create',
            '--tenant',
            tenant,
            '--grant-type',
            'authorization_code',
            '--scope',
            'openid email',
            '--auth-method',
            'none',
            '--json',
          ],
          env,
        ),
      );
      assert.deepEqual(narrow['policy'], {
        grant_types: ['authorization_code'],
        scopes: ['openid', 'email'],
        apis: [],
        token_endpoint_auth_methods: ['none'],
      });
    });

    it('refuses a policy naming an unknown grant type', async () => {
      assertRefused(
        await runCli(['registration-token', 'create', '--tenant', tenant, '--grant-type', 'password', '--json'], env),
        /policy\.grant_types/,
      );
    });

    it('refuses a malformed lifetime and an unknown tenant', async () => {
      assertRefused(
        await runCli(['registration-token', 'create', '--tenant', tenant, '--expires-in', 'soon', '--json'], env),
        /expires_in must be/,
      );
      assertRefused(await runCli(['registration-token', 'create', '--tenant', 'no-such-tenant', '--json'], env), /unknown tenant/);
    });
  });

  describe('api create', () => {
    it('registers an API (RFC 8707 resource) with its scopes', async () => {
      const created = jsonOf(
        await runCli(
          [
            'api',
            'create',
            '--tenant',
            tenant,
            '--identifier',
            'https://api.example.test/orders',
            '--scope',
            'orders:read orders:write',
            '--json',
          ],
          env,
        ),
      );
      assert.deepEqual(Object.keys(created).sort(), ['id', 'identifier']);
      assert.equal(created['identifier'], 'https://api.example.test/orders');
    });

    it('client create --resource-server-for marks a client for an API of the tenant; an unknown API is refused', async () => {
      const base = ['client', 'create', '--tenant', tenant, '--name', 'Orders API', '--grant-type', 'client_credentials', '--json'];
      const created = jsonOf(await runCli([...base, '--resource-server-for', 'https://api.example.test/orders'], env));
      await inDatabase(async (persistence, owner) => {
        const client = await persistence.repositories.clients.findByClientId(owner, created['client_id'] as string);
        assert.deepEqual(client?.resourceServerFor, ['https://api.example.test/orders']);
      });
      assertRefused(await runCli([...base, '--resource-server-for', 'https://api.example.test/nope'], env), /resource_server_for/);
    });

    it('refuses a duplicate identifier, a relative or fragment identifier, and OIDC scopes', async () => {
      assertRefused(
        await runCli(
          ['api', 'create', '--tenant', tenant, '--identifier', 'https://api.example.test/orders', '--scope', 'x', '--json'],
          env,
        ),
        /already exists/,
      );
      assertRefused(
        await runCli(['api', 'create', '--tenant', tenant, '--identifier', '/orders', '--scope', 'x', '--json'], env),
        /absolute URI/,
      );
      assertRefused(
        await runCli(['api', 'create', '--tenant', tenant, '--identifier', 'https://api.example.test/#x', '--scope', 'x', '--json'], env),
        /without a fragment/,
      );
      assertRefused(
        await runCli(
          ['api', 'create', '--tenant', tenant, '--identifier', 'https://api2.example.test/', '--scope', 'openid', '--json'],
          env,
        ),
        /reserved/,
      );
    });
  });

  describe('migrate and the command line itself', () => {
    it('migrate --json reports nothing left to apply', async () => {
      assert.deepEqual(jsonOf(await runCli(['migrate', '--json'], env)), { applied: [] });
    });

    // Real processes: the exit code is the process's.
    it('an unknown command or option exits 2 with usage on stderr', async () => {
      const unknown = await runCliProcess(['frobnicate', '--json'], env);
      assert.equal(unknown.code, 2);
      assert.equal(unknown.stdout, '');
      assert.match(unknown.stderr, /unknown command/);
      const badOption = await runCliProcess(['tenant', 'list', '--bogus'], env);
      assert.equal(badOption.code, 2);
      assert.match(badOption.stderr, /Unknown option '--bogus'/);
    });

    it("--help prints one command's usage and options, without touching the database", async () => {
      const help = await runCli(['tenant', 'create', '--help'], { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
      assert.equal(help.code, 0, help.stderr);
      assert.match(
        help.stdout,
        /^usage: npm run -s gatehouse -- tenant create <slug> \[--name NAME\] \[--access-token-alg ALG\] \[--security-profile none\|fapi2\] \[--json\]$/m,
      );
      assert.match(help.stdout, /Create a tenant/);
      assert.match(help.stdout, /^ {2}--name$/m);
    });

    it('a group alone or with --help lists its commands', async () => {
      const help = await runCli(['user', '--help'], env);
      assert.equal(help.code, 0, help.stderr);
      for (const name of ['user create', 'user unlock', 'user reset-factors', 'user revoke-sessions'])
        assert.ok(help.stdout.includes(name), name);
      assert.ok(!help.stdout.includes('tenant create'));
      const bare = await runCli(['tenant'], env);
      assert.equal(bare.code, 2);
      assert.match(bare.stderr, /"tenant" needs a command/);
      assert.match(bare.stderr, /tenant list/);
    });

    it('reads PUBLIC_URL and the rest from the env file, as the server does; the environment wins', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gh-cli-env-'));
      writeFileSync(join(dir, 'gatehouse.env'), 'PUBLIC_URL=https://from-the-env-file.example.test\n');
      const { PUBLIC_URL: _unset, ...withoutPublicUrl } = env;
      const slug = uniqueSlug('envfile');
      const created = jsonOf(
        await runCli(['tenant', 'create', slug, '--json'], { ...withoutPublicUrl, ENV_FILE: join(dir, 'gatehouse.env') }),
      );
      assert.equal(created['issuer'], `https://from-the-env-file.example.test/t/${slug}`);
      const missing = await runCli(['tenant', 'list', '--json'], { ...env, ENV_FILE: join(dir, 'nope.env') });
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /^error: ENV_FILE: cannot read .*nope\.env \(ENOENT\)$/m);
    });

    it('a mistyped command gets a "did you mean"', async () => {
      const typo = await runCli(['tenant', 'craete', 'acme'], env);
      assert.equal(typo.code, 2);
      assert.match(typo.stderr, /unknown command "tenant craete"; did you mean "tenant create"\?/);
      const group = await runCli(['tennat', 'list'], env);
      assert.match(group.stderr, /did you mean "tenant list"\?/);
      const far = await runCli(['frobnicate'], env);
      assert.doesNotMatch(far.stderr, /did you mean/);
    });

    it('invalid configuration is one line naming the variable, without a stack trace', async () => {
      assertRefused(
        await runCliProcess(['tenant', 'list', '--json'], { ...env, PUBLIC_URL: 'ftp://nope' }),
        /^error: PUBLIC_URL: must be an absolute http or https URL\n$/,
      );
    });
  });
});
