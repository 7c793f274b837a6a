import { ClientEntity } from './client.entity.js';
import { SigningKeyEntity } from './signing-key.entity.js';
import { TenantEntity } from './tenant.entity.js';
import { UserEntity } from './user.entity.js';

export { ClientEntity, SigningKeyEntity, TenantEntity, UserEntity };
export const ENTITIES = [TenantEntity, UserEntity, ClientEntity, SigningKeyEntity];
