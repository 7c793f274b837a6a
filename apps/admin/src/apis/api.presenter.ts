import type { Api } from '@gatehouse/persistence';

/** The API as the admin API shows it: its scopes as one RFC 6749 scope string. */
export function presentApi(api: Api): Record<string, unknown> {
  return { id: api.id, identifier: api.identifier, name: api.name, scope: api.scopes.join(' ') };
}
