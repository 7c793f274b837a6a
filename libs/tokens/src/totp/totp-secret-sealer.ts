import { decryptPrivateKey, encryptPrivateKey } from '../keys/key-encryption.js';

/** TOTP secrets at rest: AES-256-GCM under the key-encryption key, like signing keys, bound to tenant and user. */
export class TotpSecretSealer {
  constructor(private readonly keyEncryptionKey: Buffer) {}

  seal(tenantId: string, userId: string, secret: string): string {
    return encryptPrivateKey(this.keyEncryptionKey, secret, associatedData(tenantId, userId));
  }

  open(tenantId: string, userId: string, sealed: string): string {
    return decryptPrivateKey(this.keyEncryptionKey, sealed, associatedData(tenantId, userId));
  }
}

function associatedData(tenantId: string, userId: string): string {
  return `totp:${tenantId}:${userId}`;
}
