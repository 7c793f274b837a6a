export {
  SIGNING_ALGORITHMS,
  ID_TOKEN_DEFAULT_ALGORITHM,
  accessTokenAlgorithm,
  idTokenAlgorithm,
  isSigningAlgorithm,
  requiredAlgorithms,
  type SigningAlgorithm,
} from './keys/signing-algorithm.js';
export { encryptPrivateKey, decryptPrivateKey } from './keys/key-encryption.js';
export { generateSigningKey, type GeneratedKey } from './keys/key-generator.js';
export { KeyRotation, privateKeyAssociatedData, type CreatedKey, type RotationPolicy } from './keys/key-rotation.js';
export { SigningKeyPool, type SigningKeySource } from './keys/key-pool.js';
export type { NewSigningKey, SigningKeyStorage, StoredSigningKey } from './keys/signing-key.storage.js';
export { generateClientId } from './secrets/client-id.js';
export { generateOpaqueSecret, hashOpaqueSecret, verifyOpaqueSecret } from './secrets/opaque-secret.js';
export { hashPassword, verifyPassword } from './secrets/password-hasher.js';
export { passwordWeakness } from './secrets/password-policy.js';
export { TenantKeyCache, type TenantKeyCacheOptions } from './signing/tenant-key-cache.js';
export type { ActiveSigningKey } from './signing/tenant-key-set.js';
export { mintAccessToken, type AccessTokenClaimsInput } from './jwt/access-token.minter.js';
export { mintIdToken, type IdTokenClaimsInput } from './jwt/id-token.minter.js';
export { mintLogoutToken, BACKCHANNEL_LOGOUT_EVENT, type LogoutTokenClaimsInput } from './jwt/logout-token.minter.js';
export { verifyIdTokenHint, type IdTokenHint, type IdTokenHintVerificationOptions } from './jwt/id-token-hint.verifier.js';
export { tokenHashClaim } from './jwt/token-hash.js';
export { verifyAccessToken, type AccessTokenClaims, type AccessTokenVerificationOptions } from './jwt/access-token.verifier.js';
export { TokenVerificationError, type TokenVerificationReason } from './jwt/token-verification.error.js';
export { generateTotpSecret, matchTotp, totpCode, totpStep, totpUri } from './totp/totp.js';
export { RecoveryCodeHasher, RECOVERY_CODE_COUNT, generateRecoveryCodes, normalizeRecoveryCode } from './totp/recovery-codes.js';
export { TotpSecretSealer } from './totp/totp-secret-sealer.js';
export {
  authenticationOptions,
  registrationOptions,
  userHandleOf,
  verifyAuthentication,
  verifyRegistration,
  type CeremonyResult,
  type RegisteredCredential,
  type StoredCredential,
  type VerifiedAssertion,
} from './webauthn/passkey-ceremony.js';
export { challengeOf, parseCredentialResponse } from './webauthn/client-data.js';
export { passkeyMethod, relyingPartyFor, type RelyingParty } from './webauthn/relying-party.js';
