// Seeds a migrated Gatehouse database with many tenants and clients, in minutes:
//
//   DATABASE_URL=... KEY_ENCRYPTION_KEY=... node bench/seed/seed-tenants.mjs [--tenants 10000] [--clients-per-tenant 10]
//
// (the KEY_ENCRYPTION_KEY of the deployment that will serve the data; the tree's build is used for
// the platform's own key generation and encryption). Prints a JSON manifest on stdout.
//
// What is written, and how it matches what the platform writes:
// - tenants: one multi-row INSERT ... SELECT generate_series of (slug, name), every other column at
//   the default TenantRepository.insert leaves it (ES256 access tokens, default policies).
// - signing keys: every tenant gets an ES256 key and an RS256 key, signing at once, as
//   TenantService.create does. Each ES256 key pair is generated for its tenant with the platform's
//   generateSigningKey; RS256 pairs (about 300 ms each to generate on this machine) come from a pool
//   of RSA_POOL pairs reused across tenants. Every private key is sealed for its own row with the
//   platform's encryptPrivateKey and privateKeyAssociatedData (AES-256-GCM bound to tenant and kid):
//   a ciphertext cannot be copied between tenants, so each row is encrypted on its own. Sharing an
//   RSA pair between tenants is a benchmark shortcut only (kids are unique per tenant, which is all
//   the schema and the key cache ask): production tenants never share key material.
// - clients: two template clients are made through the platform's own CLI in a template tenant (a
//   confidential web app with the code flow, a confidential client_credentials service), and every
//   seeded tenant gets copies of their rows (INSERT ... SELECT, all columns as the admin service
//   wrote them) with a fresh client_id. Every copy has the same client secret, printed in the
//   manifest (SHA-256 hashed as the platform stores it), so any seeded service client can get tokens.
// - no audit events for the seeding itself (the admin API would write one per tenant and client).
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { distOf, withClient } from './stack.mjs';

const RSA_POOL = 16;
const KEY_ROWS_PER_INSERT = 1000;
export const SEED_SLUG_PREFIX = 'seed-';

/**
 * `cli` runs the deployment's CLI (see stack.mjs deployment()); `keyEncryptionKey` is base64.
 * Returns { tenants, clients, clientSecret, serviceClients: [{ slug, clientId }], seconds }.
 */
export async function seedTenants({ root, databaseUrl, keyEncryptionKey, cli, tenants = 10_000, clientsPerTenant = 10, log = () => {} }) {
  const started = performance.now();
  const tokens = await import(pathToFileURL(join(distOf(root), 'libs/tokens/src/index.js')).href);
  const kek = Buffer.from(keyEncryptionKey, 'base64');
  const template = `${SEED_SLUG_PREFIX}template`;
  await cli('tenant', 'create', template);
  const web = await cli(
    ...['client', 'create', '--tenant', template, '--name', 'web app', '--redirect-uri', 'https://app.seed.test/callback'],
  );
  const service = await cli(
    ...['client', 'create', '--tenant', template, '--name', 'service', '--grant-type', 'client_credentials', '--scope', 'reports'],
  );
  const clientSecret = randomBytes(32).toString('base64url');
  const secretHash = tokens.hashOpaqueSecret(clientSecret);

  return withClient(databaseUrl, async (db) => {
    const width = String(tenants).length;
    const { rows: created } = await db.query(
      `INSERT INTO tenants (slug, name)
       SELECT $1 || lpad(i::text, $3, '0'), 'Seeded tenant ' || i FROM generate_series(1, $2) AS i
       RETURNING id, slug`,
      [SEED_SLUG_PREFIX, tenants, width],
    );
    log(`seed: ${created.length} tenants inserted (${((performance.now() - started) / 1000).toFixed(1)} s)`);

    const rsaPool = [];
    for (let i = 0; i < RSA_POOL; i++) rsaPool.push(await tokens.generateSigningKey('RS256'));
    const now = new Date();
    let batch = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const values = [];
      const tuples = batch.map((row, index) => {
        values.push(...row);
        const base = index * 6;
        return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6})`;
      });
      await db.query(
        `INSERT INTO signing_keys (tenant_id, kid, alg, public_jwk, private_key_ciphertext, activates_at) VALUES ${tuples.join(', ')}`,
        values,
      );
      batch = [];
    };
    for (const [index, tenant] of created.entries()) {
      for (const key of [await tokens.generateSigningKey('ES256'), rsaPool[index % RSA_POOL]]) {
        const sealed = tokens.encryptPrivateKey(kek, key.privateKeyPkcs8, tokens.privateKeyAssociatedData(tenant.id, key.kid));
        batch.push([tenant.id, key.kid, key.alg, JSON.stringify(key.publicJwk), sealed, now]);
      }
      if (batch.length >= KEY_ROWS_PER_INSERT) await flush();
    }
    await flush();
    log(`seed: ${created.length * 2} signing keys inserted (${((performance.now() - started) / 1000).toFixed(1)} s)`);

    // Copies of the template clients: every column as the admin service wrote it, except identity.
    const { rows: columns } = await db.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'clients' AND table_schema = current_schema()
       AND column_name NOT IN ('id', 'tenant_id', 'client_id', 'name', 'secret_hash', 'created_at', 'updated_at')`,
    );
    const copied = columns.map(({ column_name: name }) => `"${name}"`).join(', ');
    const perTemplate = Math.ceil(clientsPerTenant / 2);
    const { rowCount } = await db.query(
      `INSERT INTO clients (tenant_id, client_id, name, secret_hash, ${copied})
       SELECT t.id, translate(rtrim(encode(uuid_send(gen_random_uuid()), 'base64'), '='), '+/', '-_'),
              c.name || ' ' || n, $2, ${columns.map(({ column_name: name }) => `c."${name}"`).join(', ')}
       FROM tenants t
       CROSS JOIN generate_series(1, $3) AS n
       JOIN clients c ON c.client_id = ANY($4::text[])
       WHERE t.slug LIKE $1 AND t.slug <> $5 AND (c.client_id = $6 OR n <= $7)`,
      [
        `${SEED_SLUG_PREFIX}%`,
        secretHash,
        perTemplate,
        [web.client_id, service.client_id],
        template,
        service.client_id,
        clientsPerTenant - perTemplate,
      ],
    );
    log(`seed: ${rowCount} clients inserted (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    await db.query('ANALYZE');
    const { rows: serviceClients } = await db.query(
      `SELECT t.slug, c.client_id AS "clientId" FROM clients c JOIN tenants t ON t.id = c.tenant_id
       WHERE t.slug LIKE $1 AND t.slug <> $2 AND 'client_credentials' = ANY(c.grant_types) ORDER BY t.slug, c.client_id`,
      [`${SEED_SLUG_PREFIX}%`, template],
    );
    const seconds = (performance.now() - started) / 1000;
    log(`seed: done in ${seconds.toFixed(1)} s`);
    return { tenants: created.length, clients: rowCount, clientSecret, serviceClients, seconds };
  });
}

const here = dirname(fileURLToPath(import.meta.url));
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { execFileSync } = await import('node:child_process');
  const arg = (name, fallback) => {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 ? Number(process.argv[at + 1]) : fallback;
  };
  const root = join(here, '../..');
  const databaseUrl = process.env.DATABASE_URL;
  const keyEncryptionKey = process.env.KEY_ENCRYPTION_KEY;
  if (!databaseUrl || !keyEncryptionKey) throw new Error('set DATABASE_URL and KEY_ENCRYPTION_KEY (and NODE_ENV=production)');
  const cliMain = join(distOf(root), 'apps/admin/src/cli/main.js');
  const cli = async (...args) => JSON.parse(execFileSync(process.execPath, [cliMain, ...args, '--json'], { encoding: 'utf8' }));
  const result = await seedTenants({
    root,
    databaseUrl,
    keyEncryptionKey,
    cli,
    tenants: arg('tenants', 10_000),
    clientsPerTenant: arg('clients-per-tenant', 10),
    log: (message) => process.stderr.write(`${message}\n`),
  });
  process.stdout.write(`${JSON.stringify({ ...result, serviceClients: result.serviceClients.slice(0, 100) })}\n`);
}
