import { Injectable } from '@nestjs/common';
import { DEVICE_CODE_GRANT_TYPE, GRANT_TYPES, isGrantType, type GrantType } from '@gatehouse/protocol';
import type { Tenant } from '@gatehouse/persistence';
import { AuthorizationCodeGrant } from './authorization-code.grant.js';
import { ClientCredentialsGrant } from './client-credentials.grant.js';
import { DeviceCodeGrant } from './device-code.grant.js';
import type { GrantHandler } from './grant-handler.js';
import { RefreshTokenGrant } from './refresh-token.grant.js';

/**
 * The one list of grant types the token endpoint serves: a handler for every GrantType (the compiler
 * checks the record is complete), which the token endpoint dispatches on and discovery advertises.
 */
@Injectable()
export class GrantHandlers {
  private readonly handlers: Readonly<Record<GrantType, GrantHandler>>;

  constructor(
    authorizationCode: AuthorizationCodeGrant,
    refreshToken: RefreshTokenGrant,
    clientCredentials: ClientCredentialsGrant,
    deviceCode: DeviceCodeGrant,
  ) {
    this.handlers = {
      authorization_code: authorizationCode,
      refresh_token: refreshToken,
      client_credentials: clientCredentials,
      [DEVICE_CODE_GRANT_TYPE]: deviceCode,
    };
  }

  /** The handler of a grant_type value; undefined for one the server does not serve. */
  handlerFor(grantType: string): GrantHandler | undefined {
    return isGrantType(grantType) ? this.handlers[grantType] : undefined;
  }

  /** `grant_types_supported` (RFC 8414 §2): RFC 8628's device grant only where the tenant has it on. */
  supportedBy(tenant: Tenant): GrantType[] {
    return GRANT_TYPES.filter((grantType) => grantType !== DEVICE_CODE_GRANT_TYPE || tenant.deviceAuthorization.enabled);
  }
}
