import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { bootstrapPlatform, createAdminApp } from '../../src/index.js';
import { startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';

const CALLBACK = 'https://shop.example.test/cb';
const PNG = `data:image/png;base64,${Buffer.from('\x89PNG\r\n\x1a\n not a real image').toString('base64')}`;

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

/**
 * What the sign-in pages show, set through the admin API over HTTP: a tenant's branding (logo,
 * primary colour, page title, support link) and a client's RFC 7591 §2 URIs (home page, logo,
 * privacy policy, terms of service), each validated, stored, shown back and audited.
 */
describe('admin API: tenant branding and client display URIs', () => {
  let server: RunningAuthorizationServer;
  let app: NestFastifyApplication;
  let base: string;
  let platform: string;
  const tenant = uniqueSlug('brand');

  before(async () => {
    server = await startAuthorizationServer();
    const { admin, config, infrastructure } = server;
    await bootstrapPlatform(config, infrastructure.persistence, admin.tenants, admin.users);
    await admin.tenants.create(tenant, 'Acme');
    app = await createAdminApp(config, infrastructure, new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }));
    base = `${await listen(app, '127.0.0.1', 0)}/admin/v1`;
    platform = (await admin.adminTokens.mint({})).accessToken;
  });
  after(async () => {
    await app?.close();
    await server?.close();
  });

  async function call(method: string, path: string, body?: unknown, ifMatch?: string | null): Promise<Reply> {
    const headers: Record<string, string> = { authorization: `Bearer ${platform}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (ifMatch) headers['if-match'] = ifMatch;
    const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
  }

  /** GET, then PATCH with the ETag just read. */
  async function patchTenant(body: unknown): Promise<Reply> {
    const etag = (await call('GET', `/tenants/${tenant}`)).headers.get('etag');
    return call('PATCH', `/tenants/${tenant}`, body, etag);
  }

  const fieldOf = (reply: Reply) => (reply.body['errors'] as { field: string }[] | undefined)?.[0]?.field;

  async function storedBranding() {
    const row = await server.infrastructure.persistence.repositories.tenants.findBySlug(tenant);
    assert.ok(row);
    return row.branding;
  }

  /** The tenant's admin.tenant.updated events, oldest first. */
  async function tenantUpdates(): Promise<{ before: Record<string, unknown>; after: Record<string, unknown> }[]> {
    const rows = await server.infrastructure.database.dataSource.query<{ payload: { details: Record<string, unknown> } }[]>(
      `SELECT o.payload FROM audit_outbox o JOIN tenants t ON t.id = o.tenant_id
       WHERE t.slug = $1 AND o.type = 'admin.change' AND o.payload->'details'->>'action' = 'admin.tenant.updated'
       ORDER BY o.occurred_at, o.id`,
      [tenant],
    );
    return rows.map((row) => row.payload.details as { before: Record<string, unknown>; after: Record<string, unknown> });
  }

  describe('tenant branding', () => {
    it('PATCH sets it, GET shows it with wire names, a new object replaces it whole, {} returns to the default look', async () => {
      assert.deepEqual((await call('GET', `/tenants/${tenant}`)).body['branding'], {}, 'the default look');
      const branding = {
        logo_uri: 'https://cdn.acme.example/logo.svg',
        primary_color: '#0B5FFF',
        page_title: 'Acme Sign-in',
        support_uri: 'mailto:help@acme.example',
      };
      const updated = await patchTenant({ branding });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      const shown = { ...branding, primary_color: '#0b5fff' };
      assert.deepEqual(updated.body['branding'], shown, 'the colour is stored in lower case');
      assert.deepEqual((await call('GET', `/tenants/${tenant}`)).body['branding'], shown);
      assert.deepEqual(await storedBranding(), {
        logoUri: branding.logo_uri,
        primaryColor: '#0b5fff',
        pageTitle: 'Acme Sign-in',
        supportUri: 'mailto:help@acme.example',
      });
      const audited = (await tenantUpdates()).at(-1);
      assert.deepEqual(audited?.before, { branding: {} }, 'the audit event carries the branding change, and only it');
      assert.deepEqual(audited?.after, { branding: shown });

      const replaced = await patchTenant({ branding: { page_title: 'Acme' } });
      assert.equal(replaced.status, 200);
      assert.deepEqual(replaced.body['branding'], { page_title: 'Acme' }, 'members left out are gone');
      assert.equal((await patchTenant({ name: 'Acme Corp' })).status, 200);
      assert.deepEqual(await storedBranding(), { pageTitle: 'Acme' }, 'a PATCH without branding leaves it alone');

      const reset = await patchTenant({ branding: {} });
      assert.equal(reset.status, 200);
      assert.deepEqual(reset.body['branding'], {});
      assert.deepEqual((await call('GET', `/tenants/${tenant}`)).body['branding'], {});
      assert.deepEqual(await storedBranding(), {});
    });

    it('an inline data: logo is stored and shown whole, and audited by type, size and digest', async () => {
      const updated = await patchTenant({ branding: { logo_uri: PNG } });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.deepEqual((await call('GET', `/tenants/${tenant}`)).body['branding'], { logo_uri: PNG });
      const audited = (await tenantUpdates()).at(-1)?.after['branding'] as Record<string, string> | undefined;
      assert.match(audited?.['logo_uri'] ?? '', /^data:image\/png;base64 \(\d+ characters, sha256 [0-9a-f]{64}\)$/);
      const largest = `data:image/png;base64,${'A'.repeat(61_416)}`;
      const large = await patchTenant({ branding: { logo_uri: largest, page_title: 'Acme' } });
      assert.equal(large.status, 200, 'a logo at the 60 KiB limit fits in a request body');
      assert.equal((await storedBranding()).logoUri, largest);
      assert.equal((await patchTenant({ branding: {} })).status, 200);
    });

    it('a refused value is a 400 naming the member, and the stored branding, ETag and audit trail are unchanged', async () => {
      const set = await patchTenant({ branding: { primary_color: '#112233', page_title: 'Acme' } });
      assert.equal(set.status, 200);
      const before = await call('GET', `/tenants/${tenant}`);
      const etag = before.headers.get('etag');
      const eventsBefore = (await tenantUpdates()).length;
      const cases: [unknown, string][] = [
        [{ branding: { logo_uri: 'javascript:alert(1)' } }, 'branding.logo_uri'],
        [{ branding: { logo_uri: 'http://example.com/logo.png' } }, 'branding.logo_uri'],
        [{ branding: { logo_uri: 'https://acme.example@evil.example/logo.png' } }, 'branding.logo_uri'],
        [{ branding: { logo_uri: `data:image/png;base64,${'A'.repeat(61_440)}` } }, 'branding.logo_uri'],
        [{ branding: { primary_color: '#fff' } }, 'branding.primary_color'],
        [{ branding: { primary_color: 'red' } }, 'branding.primary_color'],
        [{ branding: { page_title: '' } }, 'branding.page_title'],
        [{ branding: { page_title: 'x'.repeat(101) } }, 'branding.page_title'],
        [{ branding: { support_uri: 'tel:+15551234' } }, 'branding.support_uri'],
        [{ branding: { font: 'Comic Sans' } }, 'branding.font'],
        [{ branding: null }, 'branding'],
        [{ branding: '#ffffff' }, 'branding'],
        // A valid member does not slip through beside an invalid one.
        [{ name: 'Changed', branding: { page_title: 'New', primary_color: 'blue' } }, 'branding.primary_color'],
      ];
      for (const [body, field] of cases) {
        const refused = await call('PATCH', `/tenants/${tenant}`, body, etag);
        assert.equal(refused.status, 400, JSON.stringify(body).slice(0, 200));
        assert.equal(refused.body['code'], 'validation_failed');
        assert.equal(fieldOf(refused), field, JSON.stringify(body).slice(0, 200));
      }
      const oversize = await call(
        'PATCH',
        `/tenants/${tenant}`,
        { branding: { logo_uri: `data:image/png;base64,${'A'.repeat(66_000)}` } },
        etag,
      );
      assert.equal(oversize.status, 413, 'a body over 64 KiB is refused before it is read');
      const after = await call('GET', `/tenants/${tenant}`);
      assert.equal(after.headers.get('etag'), etag, 'nothing changed');
      assert.deepEqual(after.body, before.body);
      assert.deepEqual(await storedBranding(), { primaryColor: '#112233', pageTitle: 'Acme' });
      assert.equal((await tenantUpdates()).length, eventsBefore, 'no audit event for a refused change');
    });

    it('the OpenAPI document shows the branding setting', async () => {
      const origin = base.replace(/\/admin\/v1$/, '');
      const document = (await (await fetch(`${origin}/docs-json`)).json()) as {
        paths: Record<
          string,
          Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>
        >;
      };
      const properties =
        document.paths['/admin/v1/tenants/{tenant}']?.['patch']?.requestBody?.content['application/json']?.schema.properties;
      const branding = properties?.['branding'] as { properties: Record<string, unknown>; additionalProperties: boolean } | undefined;
      assert.deepEqual(Object.keys(branding?.properties ?? {}).sort(), ['logo_uri', 'page_title', 'primary_color', 'support_uri']);
      assert.equal(branding?.additionalProperties, false);
    });
  });

  describe('client display URIs (RFC 7591 §2)', () => {
    const display = {
      client_uri: 'https://shop.example.test/',
      logo_uri: 'https://cdn.example.test/shop.png',
      policy_uri: 'https://shop.example.test/privacy',
      tos_uri: 'https://shop.example.test/terms',
    };
    const clientPath = (clientId: string) => `/tenants/${tenant}/clients/${clientId}`;

    it('create with the four URIs, read them back; a client without them shows null', async () => {
      // An admin's choice is trusted: the logo's host (a CDN) need not be a redirect URI's, unlike in registration.
      const created = await call('POST', `/tenants/${tenant}/clients`, { client_name: 'Shop', redirect_uris: [CALLBACK], ...display });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      for (const [member, value] of Object.entries(display)) assert.equal(created.body[member], value, member);
      const read = await call('GET', clientPath(String(created.body['client_id'])));
      for (const [member, value] of Object.entries(display)) assert.equal(read.body[member], value, member);

      const bare = await call('POST', `/tenants/${tenant}/clients`, { client_name: 'Bare', redirect_uris: [CALLBACK] });
      assert.equal(bare.status, 201);
      for (const member of Object.keys(display)) assert.equal(bare.body[member], null, member);
    });

    it('PATCH changes them, null clears one, and a bad value is a 400 naming it that changes nothing', async () => {
      const created = await call('POST', `/tenants/${tenant}/clients`, { client_name: 'Shop', redirect_uris: [CALLBACK], ...display });
      const clientId = String(created.body['client_id']);
      let etag = (await call('GET', clientPath(clientId))).headers.get('etag');
      const logo = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`;
      const updated = await call('PATCH', clientPath(clientId), { logo_uri: logo, tos_uri: null }, etag);
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body['logo_uri'], logo);
      assert.equal(updated.body['tos_uri'], null);
      assert.equal(updated.body['policy_uri'], display.policy_uri, 'members left out keep their value');
      etag = updated.headers.get('etag');

      for (const [member, value] of [
        ['client_uri', 'javascript:alert(1)'],
        ['policy_uri', 'http://example.com/privacy'],
        ['tos_uri', 'https://shop.example.test@evil.example.test/terms'],
        ['logo_uri', `data:image/png;base64,${'A'.repeat(2000)}`],
        ['logo_uri', 'data:text/html;base64,PHNjcmlwdD4='],
        ['client_uri', `https://shop.example.test/${'a'.repeat(2000)}`],
      ] as const) {
        const refused = await call('PATCH', clientPath(clientId), { [member]: value }, etag);
        assert.equal(refused.status, 400, `${member} ${value.slice(0, 60)}`);
        assert.equal(fieldOf(refused), member);
        const onCreate = await call('POST', `/tenants/${tenant}/clients`, {
          client_name: 'Bad',
          redirect_uris: [CALLBACK],
          [member]: value,
        });
        assert.equal(onCreate.status, 400);
        assert.equal(fieldOf(onCreate), member);
      }
      assert.equal((await call('GET', clientPath(clientId))).headers.get('etag'), etag, 'refusals changed nothing');
    });
  });
});
