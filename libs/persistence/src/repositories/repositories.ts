import type { EntityManager } from 'typeorm';
import type { AuditOutbox } from '@gatehouse/audit';
import { BatchedCodes } from '../batching/batched-codes.js';
import { BatchedRefreshTokens } from '../batching/batched-refresh-tokens.js';
import { BatchedUserLookups } from '../batching/batched-user-lookups.js';
import { BatchedSessionLookups } from '../batching/batched-session-lookups.js';
import { BatchedTokenStanding } from '../batching/batched-token-standing.js';
import { GroupCommitOutbox } from '../batching/group-commit-outbox.js';
import type { Database } from '../database.js';
import { ApiRepository } from './api.repository.js';
import { AuditOutboxRepository } from './audit-outbox.repository.js';
import { AuditRecordRepository } from './audit-record.repository.js';
import { SiemDeadLetterRepository } from './siem-dead-letter.repository.js';
import { SiemSinkRepository } from './siem-sink.repository.js';
import { AuthorizationCodeRepository } from './authorization-code.repository.js';
import { BackchannelLogoutJobRepository } from './backchannel-logout-job.repository.js';
import { RefreshTokenRepository } from './refresh-token.repository.js';
import { RegistrationTokenRepository } from './registration-token.repository.js';
import { ClientRepository } from './client.repository.js';
import { ConsentRepository } from './consent.repository.js';
import { InteractionRepository } from './interaction.repository.js';
import { SecondFactorRepository } from './second-factor.repository.js';
import { PasskeyRepository } from './passkey.repository.js';
import { PushedRequestRepository } from './pushed-request.repository.js';
import { DeviceAuthorizationRepository } from './device-authorization.repository.js';
import { RevokedTokenRepository } from './revoked-token.repository.js';
import { OperationalReadingsRepository } from './operational-readings.repository.js';
import { SessionRepository } from './session.repository.js';
import { TokenStandingRepository } from './token-standing.repository.js';
import { SigningKeyRepository } from './signing-key.repository.js';
import { TenantRepository } from './tenant.repository.js';
import { UserRepository } from './user.repository.js';

export interface Repositories {
  readonly tenants: TenantRepository;
  readonly users: UserRepository;
  readonly clients: ClientRepository;
  readonly signingKeys: SigningKeyRepository;
  readonly apis: ApiRepository;
  readonly interactions: InteractionRepository;
  readonly sessions: SessionRepository;
  readonly consents: ConsentRepository;
  readonly codes: AuthorizationCodeRepository;
  readonly revokedTokens: RevokedTokenRepository;
  readonly auditOutbox: AuditOutboxRepository;
  readonly refreshTokens: RefreshTokenRepository;
  readonly backchannelLogoutJobs: BackchannelLogoutJobRepository;
  readonly registrationTokens: RegistrationTokenRepository;
  readonly auditRecords: AuditRecordRepository;
  readonly siemSinks: SiemSinkRepository;
  readonly siemDeadLetters: SiemDeadLetterRepository;
  readonly tokenStanding: TokenStandingRepository;
  readonly secondFactors: SecondFactorRepository;
  readonly passkeys: PasskeyRepository;
  readonly pushedRequests: PushedRequestRepository;
  readonly deviceAuthorizations: DeviceAuthorizationRepository;
  readonly operationalReadings: OperationalReadingsRepository;
}

function bind(manager: EntityManager): Repositories {
  return {
    tenants: new TenantRepository(manager),
    users: new UserRepository(manager),
    clients: new ClientRepository(manager),
    signingKeys: new SigningKeyRepository(manager),
    apis: new ApiRepository(manager),
    interactions: new InteractionRepository(manager),
    sessions: new SessionRepository(manager),
    consents: new ConsentRepository(manager),
    codes: new AuthorizationCodeRepository(manager),
    revokedTokens: new RevokedTokenRepository(manager),
    auditOutbox: new AuditOutboxRepository(manager),
    refreshTokens: new RefreshTokenRepository(manager),
    backchannelLogoutJobs: new BackchannelLogoutJobRepository(manager),
    registrationTokens: new RegistrationTokenRepository(manager),
    auditRecords: new AuditRecordRepository(manager),
    siemSinks: new SiemSinkRepository(manager),
    siemDeadLetters: new SiemDeadLetterRepository(manager),
    tokenStanding: new TokenStandingRepository(manager),
    secondFactors: new SecondFactorRepository(manager),
    passkeys: new PasskeyRepository(manager),
    pushedRequests: new PushedRequestRepository(manager),
    deviceAuthorizations: new DeviceAuthorizationRepository(manager),
    operationalReadings: new OperationalReadingsRepository(manager),
  };
}

/** Repositories on the pool, plus a unit of work that binds them all to one transaction. */
export class Persistence {
  readonly repositories: Repositories;
  /**
   * The audit outbox for events that describe no other write (a token issued by
   * client_credentials, a refusal, an introspection): concurrent callers share one INSERT
   * and one commit, each awaiting its own (docs/adr/0007). Events that belong with a state
   * change still go through `transaction(...)`'s auditOutbox.
   */
  readonly audit: AuditOutbox;
  /** Whether access tokens still stand (ADR 0004), concurrent checks sharing one query. */
  readonly tokenStanding: BatchedTokenStanding;
  /** The refresh_token grant's lookup and rotation, concurrent requests sharing each statement. */
  readonly refreshTokens: BatchedRefreshTokens;
  /** Authorization codes stored, read and redeemed, concurrent requests sharing each statement. */
  readonly codes: BatchedCodes;
  /** SSO sessions found by their cookie, concurrent lookups sharing one query. */
  readonly sessionLookups: BatchedSessionLookups;
  /** Users found by id (userinfo's subject), concurrent lookups sharing one query. */
  readonly userLookups: BatchedUserLookups;

  constructor(private readonly database: Database) {
    this.repositories = bind(database.dataSource.manager);
    const outbox = this.repositories.auditOutbox;
    this.audit = new GroupCommitOutbox((rows) => outbox.appendRows(rows));
    this.tokenStanding = new BatchedTokenStanding(this.repositories.tokenStanding);
    this.refreshTokens = new BatchedRefreshTokens(this.repositories.refreshTokens);
    this.codes = new BatchedCodes(this.repositories.codes);
    this.sessionLookups = new BatchedSessionLookups(this.repositories.sessions);
    this.userLookups = new BatchedUserLookups(this.repositories.users);
  }

  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.database.dataSource.transaction((manager) => work(bind(manager)));
  }
}
