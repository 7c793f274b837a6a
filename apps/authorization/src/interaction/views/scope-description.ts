import type { MessageKey, Translator } from '../i18n/index.js';

const ACCOUNT_SCOPES: ReadonlyMap<string, MessageKey> = new Map(
  Object.entries({
    openid: 'scope.openid',
    profile: 'scope.profile',
    email: 'scope.email',
    phone: 'scope.phone',
    address: 'scope.address',
    offline_access: 'scope.offline_access',
  } as const),
);

const VERBS: ReadonlyMap<string, MessageKey> = new Map(
  Object.entries({
    read: 'scope.api.read',
    view: 'scope.api.read',
    list: 'scope.api.read',
    write: 'scope.api.write',
    update: 'scope.api.write',
    edit: 'scope.api.write',
    create: 'scope.api.create',
    delete: 'scope.api.delete',
    remove: 'scope.api.delete',
    manage: 'scope.api.manage',
    admin: 'scope.api.manage',
  } as const),
);

/**
 * A scope in words for the consent page. The OpenID ones have their own sentence; an API
 * scope named like `orders:read` or `read:orders` (a verb and a thing, split by `:`, `.` or
 * `/`) becomes "Read orders"; anything else is "Use <scope>". Plain text: the view escapes it.
 */
export function describeScope(scope: string, t: Translator, brand: string): string {
  const account = ACCOUNT_SCOPES.get(scope);
  if (account !== undefined) return t.text(account, { brand });
  const parts = scope.split(/[:./]/);
  if (parts.length === 2) {
    const [first = '', second = ''] = parts;
    const verbFirst = VERBS.get(first.toLowerCase());
    const verbSecond = VERBS.get(second.toLowerCase());
    if (verbSecond !== undefined && first !== '' && verbFirst === undefined) return t.text(verbSecond, { thing: words(first) });
    if (verbFirst !== undefined && second !== '' && verbSecond === undefined) return t.text(verbFirst, { thing: words(second) });
  }
  return t.text('scope.other', { scope });
}

function words(name: string): string {
  return name.replace(/[_-]+/g, ' ');
}
