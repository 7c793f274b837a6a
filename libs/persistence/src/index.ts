export { openDatabase, type Database, type DatabaseTarget } from './database.js';
export { runMigrations, revertLastMigration, pendingMigrations, type MigrationResult } from './migrator.js';
export { Persistence, type Repositories } from './repositories/repositories.js';
export type { AuthorizationCodeRepository } from './repositories/authorization-code.repository.js';
export type { DeviceAuthorizationRepository } from './repositories/device-authorization.repository.js';
export type { RefreshTokenRepository } from './repositories/refresh-token.repository.js';
export type { Tenant, NewTenant, TenantBranding, TenantSettings, DeviceAuthorizationSettings } from './repositories/tenant.repository.js';
export type { AuthorizationRequestMode, ConsentPolicy, PasskeyLogin } from './repositories/tenant.repository.js';
export type {
  User,
  NewUser,
  UserInsertResult,
  UserProfileChanges,
  UserUpdateResult,
  LoginCandidate,
  LockoutPolicy,
  FailedLoginCount,
} from './repositories/user.repository.js';
export type { Client, NewClient } from './repositories/client.repository.js';
export { TenantRepository } from './repositories/tenant.repository.js';
export { UserRepository } from './repositories/user.repository.js';
export { ClientRepository } from './repositories/client.repository.js';
export { ClientWrites, type AuditInTransaction } from './repositories/client-writes.js';
export { SigningKeyRepository, type SigningGaps } from './repositories/signing-key.repository.js';
export { signingKeysReadiness, type SigningKeysReport } from './health/signing-keys.readiness.js';
export { openRedis, type RedisConnection } from './redis/redis-connection.js';
export { OptionalRedis } from './redis/optional-redis.js';
export { RedisAssertionReplayStore } from './redis/redis-replay-store.js';
export { openInfrastructure, startInfrastructure, type Infrastructure, type StartupLog } from './infrastructure.js';
export type { Api } from './repositories/api.repository.js';
export type { Interaction, InteractionState, NewInteraction } from './repositories/interaction.repository.js';
export type { TotpFactor } from './repositories/second-factor.repository.js';
export type { Passkey, NewPasskey, PasskeyChallenge } from './repositories/passkey.repository.js';
export type { Session, UserSessionSummary } from './repositories/session.repository.js';
export type { Consent, ResourceConsent, ResourceScopes } from './repositories/consent.repository.js';
export type {
  AuthorizationCode,
  NewAuthorizationCode,
  ConsumeResult,
  PresentedCode,
  CodeRedemption,
  CodeLookup,
  NewCodeEntry,
} from './repositories/authorization-code.repository.js';
export type { NewPushedRequest, PushedRequest } from './repositories/pushed-request.repository.js';
export type { DeviceAuthorization, DevicePoll, NewDeviceAuthorization } from './repositories/device-authorization.repository.js';
export type {
  RefreshTokenFamily,
  PresentedRefreshToken,
  NewFamily,
  RefreshTokenRedemption,
  Rotation,
  RotationOutcome,
  SuccessorToken,
  NewGrant,
} from './repositories/refresh-token.repository.js';
export type { BackchannelLogoutJob } from './repositories/backchannel-logout-job.repository.js';
export { REVOCATION_CHANNEL, publishRevocation, subscribeRevocations, type RevocationMessage } from './redis/revocation-channel.js';
export { tokenBindingOf, type TokenBinding, type TokenStanding } from './repositories/token-standing.repository.js';
export type { RegistrationToken } from './repositories/registration-token.repository.js';
export type {
  AuditRecordFilter,
  ChainHead,
  LockedChainHead,
  LoginHistoryOptions,
  LoginHistoryRow,
} from './repositories/audit-record.repository.js';
export type { SiemSink, NewSiemSink, SiemSinkType, SiemSinkFormat, SiemSinkState } from './repositories/siem-sink.repository.js';
export { siemSinkState } from './repositories/siem-sink.repository.js';
export type { SiemDeadLetter } from './repositories/siem-dead-letter.repository.js';
export {
  CONFIG_CHANGE_CHANNEL,
  configChangePublisher,
  publishConfigChange,
  subscribeConfigChanges,
  type ConfigChange,
  type ConfigChangePublisher,
} from './redis/config-change-channel.js';
export { ConcurrentBatcher, type ConcurrentBatcherOptions } from './batching/concurrent-batcher.js';
