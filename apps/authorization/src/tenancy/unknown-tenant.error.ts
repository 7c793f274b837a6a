/** The issuer path names no active tenant: 404, with nothing about other tenants. */
export class UnknownTenant extends Error {
  override readonly name = 'UnknownTenant';
  constructor() {
    super('Unknown tenant');
  }
}
