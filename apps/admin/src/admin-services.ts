import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SinkCredentialsSealer } from '@gatehouse/audit';
import { GATEHOUSE_CONFIG, type GatehouseConfig } from '@gatehouse/config';
import { configChangePublisher, OptionalRedis, Persistence, type RedisConnection } from '@gatehouse/persistence';
import { Clock } from '@gatehouse/protocol';
import { SigningKeyPool } from '@gatehouse/tokens';
import { CONFIG_CHANGE_PUBLISHER, PUBLIC_URL } from './admin-injection-tokens.js';
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

/** What the admin services are built from: the process's configuration, database, Redis (when configured) and clock. */
export interface AdminServiceSources {
  readonly config: GatehouseConfig;
  readonly persistence: Persistence;
  /** Carries revocations to resource servers and admin changes to every instance's caches. */
  readonly redis?: RedisConnection | undefined;
  readonly clock: Clock;
}

const SERVICES = [
  AdminAuditService,
  TenantService,
  SessionRevocationService,
  UserService,
  ClientService,
  KeyService,
  ApiService,
  AdminTokenService,
  AuditRecordService,
  RegistrationTokenService,
  SiemSinkService,
  DeadLetterService,
] as const satisfies readonly Type[];

/**
 * The admin services as Nest providers, each taking the few parts it uses (the persistence, the
 * clock, the config, the change publisher, the other services it calls). The admin app imports
 * this module, and a server's first-start bootstrap takes the app's own (`adminServicesOf`); the CLI
 * and tests get the same providers from `createAdminServices`.
 */
@Module({})
export class AdminServicesModule {
  static register(sources: AdminServiceSources): DynamicModule {
    const parts: Provider[] = [
      { provide: GATEHOUSE_CONFIG, useValue: sources.config },
      { provide: Persistence, useValue: sources.persistence },
      { provide: OptionalRedis, useValue: new OptionalRedis(sources.redis?.client) },
      { provide: Clock, useValue: sources.clock },
      { provide: PUBLIC_URL, useValue: sources.config.publicUrl },
      { provide: CONFIG_CHANGE_PUBLISHER, useValue: configChangePublisher(sources.redis?.client) },
      // Where tenant creation takes RSA keys from; only a server starts it (the CLI generates on demand).
      { provide: SigningKeyPool, useValue: new SigningKeyPool(sources.config.signingKeyPoolSize) },
      { provide: SinkCredentialsSealer, useValue: new SinkCredentialsSealer(sources.config.keyEncryptionKey) },
    ];
    return {
      module: AdminServicesModule,
      providers: [...parts, ...SERVICES],
      exports: [Clock, PUBLIC_URL, SigningKeyPool, ...SERVICES],
    };
  }
}

/** The admin services for code that is not a Nest controller: the CLI, the first-start bootstrap, tests. */
export interface AdminServices {
  readonly clock: Clock;
  readonly tenants: TenantService;
  readonly users: UserService;
  readonly clients: ClientService;
  readonly keys: KeyService;
  readonly apis: ApiService;
  readonly sessions: SessionRevocationService;
  readonly adminTokens: AdminTokenService;
  readonly auditRecords: AuditRecordService;
  readonly registrationTokens: RegistrationTokenService;
  readonly siemSinks: SiemSinkService;
  readonly deadLetters: DeadLetterService;
}

/** Builds the admin services outside an HTTP app (a Nest application context), once per process or command. */
export async function createAdminServices(
  config: GatehouseConfig,
  persistence: Persistence,
  redis?: RedisConnection,
  clock: Clock = new Clock(),
): Promise<AdminServices> {
  const context = await NestFactory.createApplicationContext(AdminServicesModule.register({ config, persistence, redis, clock }), {
    logger: false,
    abortOnError: false,
  });
  return adminServicesOf(context);
}

/** The services a Nest container (the admin app, or a bare context) holds, under the names callers use. */
export function adminServicesOf(container: { get<T>(type: Type<T>): T }): AdminServices {
  return {
    clock: container.get(Clock),
    tenants: container.get(TenantService),
    users: container.get(UserService),
    clients: container.get(ClientService),
    keys: container.get(KeyService),
    apis: container.get(ApiService),
    sessions: container.get(SessionRevocationService),
    adminTokens: container.get(AdminTokenService),
    auditRecords: container.get(AuditRecordService),
    registrationTokens: container.get(RegistrationTokenService),
    siemSinks: container.get(SiemSinkService),
    deadLetters: container.get(DeadLetterService),
  };
}
