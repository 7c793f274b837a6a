import { CreateFoundationTables1764100000000 } from './1764100000000-create-foundation-tables.js';
import { CreateAuthorizationTables1764200000000 } from './1764200000000-create-authorization-tables.js';
import { CreateTokenLifecycleTables1764300000000 } from './1764300000000-create-token-lifecycle-tables.js';
import { CreateRegistrationTables1764400000000 } from './1764400000000-create-registration-tables.js';
import { AddTenantPolicies1764500000000 } from './1764500000000-add-tenant-policies.js';
import { AddClientSecretRotation1764510000000 } from './1764510000000-add-client-secret-rotation.js';
import { AddUserLockout1764520000000 } from './1764520000000-add-user-lockout.js';
import { CreateAuditPipelineTables1764600000000 } from './1764600000000-create-audit-pipeline-tables.js';
import { AddClientResourceServerFor1764700000000 } from './1764700000000-add-client-resource-server-for.js';
import { AddRegistrationPolicy1764710000000 } from './1764710000000-add-registration-policy.js';
import { DisableTokenEndpointAudience1764730000000 } from './1764730000000-disable-token-endpoint-audience.js';
import { AddConsentResource1764740000000 } from './1764740000000-add-consent-resource.js';
import { AddBranding1764800000000 } from './1764800000000-add-branding.js';
import { AddLoginHistoryIndex1764810000000 } from './1764810000000-add-login-history-index.js';
import { CreateTotpFactors1764830000000 } from './1764830000000-create-totp-factors.js';
import { AddClientRateLimitPolicy1764840000000 } from './1764840000000-add-client-rate-limit-policy.js';
import { AddUserHardLock1764850000000 } from './1764850000000-add-user-hard-lock.js';
import { CreatePasskeys1764860000000 } from './1764860000000-create-passkeys.js';
import { AddSignInPolicy1764870000000 } from './1764870000000-add-sign-in-policy.js';
import { CreatePushedAuthorizationRequests1764900000000 } from './1764900000000-create-pushed-authorization-requests.js';
import { AddDpopBinding1764910000000 } from './1764910000000-add-dpop-binding.js';
import { AddMutualTls1764930000000 } from './1764930000000-add-mutual-tls.js';
import { AddSecurityProfile1764950000000 } from './1764950000000-add-security-profile.js';
import { CreateDeviceAuthorizations1764960000000 } from './1764960000000-create-device-authorizations.js';
import { AddAuthorizationDetails1764970000000 } from './1764970000000-add-authorization-details.js';
import { AddClientAuthorizationDetailsTypes1764980000000 } from './1764980000000-add-client-authorization-details-types.js';
import { AddTenantScopedForeignKeys1764990000000 } from './1764990000000-add-tenant-scoped-foreign-keys.js';
import { OutboxRowsLeaveWhenRecorded1765000000000 } from './1765000000000-outbox-rows-leave-when-recorded.js';

/** In order. Listed explicitly: no glob loading, so the bundle and the runtime agree. */
export const MIGRATIONS = [
  CreateFoundationTables1764100000000,
  CreateAuthorizationTables1764200000000,
  CreateTokenLifecycleTables1764300000000,
  CreateRegistrationTables1764400000000,
  AddTenantPolicies1764500000000,
  AddClientSecretRotation1764510000000,
  AddUserLockout1764520000000,
  CreateAuditPipelineTables1764600000000,
  AddClientResourceServerFor1764700000000,
  AddRegistrationPolicy1764710000000,
  DisableTokenEndpointAudience1764730000000,
  AddConsentResource1764740000000,
  AddBranding1764800000000,
  AddLoginHistoryIndex1764810000000,
  CreateTotpFactors1764830000000,
  AddClientRateLimitPolicy1764840000000,
  AddUserHardLock1764850000000,
  CreatePasskeys1764860000000,
  AddSignInPolicy1764870000000,
  CreatePushedAuthorizationRequests1764900000000,
  AddDpopBinding1764910000000,
  AddMutualTls1764930000000,
  AddSecurityProfile1764950000000,
  CreateDeviceAuthorizations1764960000000,
  AddAuthorizationDetails1764970000000,
  AddClientAuthorizationDetailsTypes1764980000000,
  AddTenantScopedForeignKeys1764990000000,
  OutboxRowsLeaveWhenRecorded1765000000000,
];
