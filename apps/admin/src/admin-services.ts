import { SinkCredentialsSealer } from '@gatehouse/audit';
import type { GatehouseConfig } from '@gatehouse/config';
import { SigningKeyPool } from '@gatehouse/tokens';
import type { Provider } from '@nestjs/common';
import { configChangePublisher, type Persistence, type RedisConnection } from '@gatehouse/persistence';
import { ApiService } from './apis/api.service.js';
import { AdminAuditService } from './audit/admin-audit.service.js';
import { AuditRecordService } from './audit-records/audit-record.service.js';
import { AdminTokenService } from './auth/admin-token.service.js';
import { RegistrationTokenService } from './registration-tokens/registration-token.service.js';
import { ClientService } from './clients/client.service.js';
import { KeyService } from './keys/key.service.js';
import { DeadLetterService } from './siem-sinks/dead-letter.service.js';
import { SiemSinkService } from './siem-sinks/siem-sink.service.js';
import { TenantService } from './tenants/tenant.service.js';
import { SessionRevocationService } from './users/session-revocation.service.js';
import { UserService } from './users/user.service.js';

export interface AdminServices {
  readonly tenants: TenantService;
  readonly users: UserService;
  readonly clients: ClientService;
  readonly keys: KeyService;
  readonly apis: ApiService;
  readonly sessions: SessionRevocationService;
  readonly adminTokens: AdminTokenService;
  readonly audit: AdminAuditService;
  readonly auditRecords: AuditRecordService;
  readonly registrationTokens: RegistrationTokenService;
  readonly siemSinks: SiemSinkService;
  readonly deadLetters: DeadLetterService;
  readonly publicUrl: string;
  /** Where tenant creation takes RSA keys from; only a server starts it (the CLI generates on demand). */
  readonly keyPool: SigningKeyPool;
}

/** The admin API's public base URL, for the issuers it presents (injection token). */
export const PUBLIC_URL = Symbol('PUBLIC_URL');

/**
 * The admin services, built once per process (server or CLI), all on one clock. `redis`, when
 * configured, carries revocations to resource servers and admin changes to every instance's caches.
 */
export function createAdminServices(
  config: GatehouseConfig,
  persistence: Persistence,
  redis?: RedisConnection,
  now: () => Date = () => new Date(),
): AdminServices {
  const announce = configChangePublisher(redis?.client);
  const keyPool = new SigningKeyPool(config.signingKeyPoolSize);
  const tenants = new TenantService(persistence, config, now, announce, keyPool.take);
  const audit = new AdminAuditService();
  // Disabling a user or resetting a password signs them out in the transaction of the change.
  const sessions = new SessionRevocationService({ persistence, redis }, tenants, now);
  return {
    tenants,
    users: new UserService(persistence, tenants, sessions, audit, now),
    clients: new ClientService(persistence, tenants, audit, now, announce, config.outboundAllowPrivateTargets),
    keys: new KeyService(persistence, tenants, config, now, announce),
    apis: new ApiService(persistence, tenants, announce),
    sessions,
    adminTokens: new AdminTokenService(persistence, tenants, config),
    audit,
    auditRecords: new AuditRecordService(persistence, tenants),
    registrationTokens: new RegistrationTokenService(persistence, tenants, now),
    siemSinks: new SiemSinkService(
      persistence,
      tenants,
      new SinkCredentialsSealer(config.keyEncryptionKey),
      audit,
      config.siemAllowPrivateTargets,
    ),
    deadLetters: new DeadLetterService(persistence, tenants, audit, now),
    publicUrl: config.publicUrl,
    keyPool,
  };
}

/** Each service as a Nest provider under its class: a controller asks for the few it uses. */
export function adminServiceProviders(services: AdminServices): Provider[] {
  return [
    { provide: TenantService, useValue: services.tenants },
    { provide: UserService, useValue: services.users },
    { provide: ClientService, useValue: services.clients },
    { provide: KeyService, useValue: services.keys },
    { provide: ApiService, useValue: services.apis },
    { provide: SessionRevocationService, useValue: services.sessions },
    { provide: AdminTokenService, useValue: services.adminTokens },
    { provide: AdminAuditService, useValue: services.audit },
    { provide: AuditRecordService, useValue: services.auditRecords },
    { provide: RegistrationTokenService, useValue: services.registrationTokens },
    { provide: SiemSinkService, useValue: services.siemSinks },
    { provide: DeadLetterService, useValue: services.deadLetters },
    { provide: PUBLIC_URL, useValue: services.publicUrl },
  ];
}
