import assert from 'node:assert/strict';
import type { AuditEvent } from '@gatehouse/audit';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { asTenantId } from '@gatehouse/protocol';
import { bootstrapPlatform, createAdminApp } from '../../apps/admin/src/index.js';
import { basic as basicHeaders } from '../../apps/authorization/test/lifecycle/lifecycle.fixture.js';
import type { RunningAuthorizationServer } from '../support/index.js';

/** Helpers shared by the security tests of issue 10 items 4, 7, 8, 9 and 14 (protocol hardening). */

export { PASSWORD } from '../../apps/authorization/test/flow/code-flow.fixture.js';

/** The tenant's audit outbox events of one type (what was issued or refused). */
export async function auditEvents(server: RunningAuthorizationServer, slug: string, type: AuditEvent['type']): Promise<AuditEvent[]> {
  const tenant = await server.infrastructure.persistence.repositories.tenants.findBySlug(slug);
  assert.ok(tenant, `tenant ${slug}`);
  const events = await server.infrastructure.persistence.repositories.auditOutbox.listByTenant(asTenantId(tenant.id), 10_000);
  return events.filter((event) => event.type === type);
}

/** The Authorization header value of client_secret_basic (RFC 6749 §2.3.1). */
export function basic(clientId: string, secret: string): string {
  return basicHeaders(clientId, secret)['authorization'] ?? '';
}

export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
}

/** The OAuth error JSON of a refusal, after checking the status. */
export async function oauthError(response: Response, status: number): Promise<string> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  return (JSON.parse(text) as { error: string }).error;
}

export interface AdminApi {
  send(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; contentType: string; etag: string | null; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** The admin API over HTTP on the server's database, called as the platform admin. */
export async function startAdminApi(server: RunningAuthorizationServer): Promise<AdminApi> {
  await bootstrapPlatform(server.config, server.infrastructure.persistence, server.admin.tenants, server.admin.users);
  const app = await createAdminApp(
    server.config,
    server.infrastructure,
    new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }),
  );
  const base = `${await listen(app, '127.0.0.1', 0)}/admin/v1`;
  const token = (await server.admin.adminTokens.mint({})).accessToken;
  return {
    async send(method, path, body, headers = {}) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        etag: response.headers.get('etag'),
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    },
    close: () => app.close(),
  };
}
