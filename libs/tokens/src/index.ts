export {
  SIGNING_ALGORITHMS,
  ID_TOKEN_DEFAULT_ALGORITHM,
  isSigningAlgorithm,
  requiredAlgorithms,
  type SigningAlgorithm,
} from './keys/signing-algorithm.js';
export { encryptPrivateKey, decryptPrivateKey } from './keys/key-encryption.js';
export { generateSigningKey, type GeneratedKey } from './keys/key-generator.js';
export { KeyRotation, privateKeyAssociatedData, type CreatedKey, type RotationPolicy } from './keys/key-rotation.js';
export type { NewSigningKey, SigningKeyStorage, StoredSigningKey } from './keys/signing-key.storage.js';
export { generateOpaqueSecret, hashOpaqueSecret, verifyOpaqueSecret } from './secrets/opaque-secret.js';
export { hashPassword, verifyPassword } from './secrets/password-hasher.js';
export { passwordWeakness } from './secrets/password-policy.js';
export { TenantKeyCache, type SigningKey } from './signing/tenant-key-cache.js';
export { mintAccessToken, mintIdToken, type AccessTokenInput, type IdTokenInput } from './jwt/mint-tokens.js';
export { tokenHashClaim } from './jwt/token-hash.js';
export { verifyAccessToken, TokenVerificationError, type VerifyAccessTokenOptions } from './jwt/verify-access-token.js';
