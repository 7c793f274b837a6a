import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { bootstrapPlatform, createAdminApp, createAdminServices } from '../../src/index.js';
import { testConfig, uniqueSlug } from '../../../../test/support/index.js';

interface Schema {
  readonly properties?: Record<string, unknown>;
  readonly example?: Record<string, unknown>;
}
interface Operation {
  readonly requestBody?: { content?: Record<string, { schema?: Schema }> };
  readonly responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

const jsonSchema = (part: { content?: Record<string, { schema?: Schema }> } | undefined): Schema | undefined =>
  part?.content?.['application/json']?.schema;

/** Issue 18: every admin operation is documented body and answer, and Swagger's "Try it out" works from the examples. */
describe('admin API: OpenAPI schemas for every operation', () => {
  let infrastructure: Infrastructure;
  let app: NestFastifyApplication;
  let origin: string;
  let token: string;
  let document: Document;
  const tenant = uniqueSlug('oas');

  before(async () => {
    const config = testConfig();
    infrastructure = await openInfrastructure(config);
    const services = await createAdminServices(config, infrastructure.persistence);
    await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users);
    await services.tenants.create(tenant);
    app = await createAdminApp(config, infrastructure, new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }));
    origin = await listen(app, '127.0.0.1', 0);
    token = (await services.adminTokens.mint({})).accessToken;
    document = (await (await fetch(`${origin}/docs-json`)).json()) as Document;
  });
  after(async () => {
    await app?.close();
    await infrastructure?.close();
  });

  /** Actions that take no body: the path says everything. */
  const BODYLESS_ACTIONS = /\/(rotate|unlock|reset-factors|redeliver|retry)$/;
  const operations = () =>
    Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, method, op })),
    );

  it('every write with a body has a JSON schema, and every answer a schema (or is a 204)', () => {
    const found = operations();
    assert.ok(found.length >= 40, `found ${found.length} operations`);
    for (const { name, method, op } of found) {
      const success = Object.entries(op.responses ?? {}).filter(([status]) => status.startsWith('2'));
      const bodyless = success.every(([status]) => status === '204') || BODYLESS_ACTIONS.test(name);
      if (['post', 'put', 'patch'].includes(method) && !bodyless) assert.ok(jsonSchema(op.requestBody), `${name}: a request body schema`);
      assert.ok(success.length > 0, `${name}: a documented success`);
      assert.ok(
        success.some(
          ([status, response]) =>
            status === '204' || jsonSchema(response)?.properties || Object.values(response.content ?? {}).some((media) => media.schema),
        ),
        `${name}: a response schema`,
      );
    }
  });

  for (const [resource, status] of [
    ['users', 201],
    ['clients', 201],
  ] as const) {
    it(`"Try it out" on POST ${resource}: the documented example creates one, and the answer has only documented members`, async () => {
      const path = `/admin/v1/tenants/{tenant}/${resource}`;
      const post = document.paths[path]?.['post'];
      const example = jsonSchema(post?.requestBody)?.example;
      assert.ok(example, 'the request schema carries an example');
      const response = await fetch(`${origin}${path.replace('{tenant}', tenant)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(example),
      });
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(response.status, status, JSON.stringify(body));
      const documented = Object.keys(jsonSchema(post?.responses?.[String(status)])?.properties ?? {});
      const undocumented = Object.keys(body).filter((member) => !documented.includes(member));
      assert.deepEqual(undocumented, [], 'every member of the answer is in its schema');
    });
  }
});
