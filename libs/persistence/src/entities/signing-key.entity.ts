import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'signing_keys' })
@Index('uq_signing_keys_tenant_kid', ['tenantId', 'kid'], { unique: true })
@Index('ix_signing_keys_tenant_alg_activates', ['tenantId', 'alg', 'activatesAt'])
export class SigningKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  alg!: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: Record<string, unknown>;

  /** AES-256-GCM envelope of the PKCS#8 private key under KEY_ENCRYPTION_KEY. */
  @Column({ name: 'private_key_ciphertext', type: 'text' })
  privateKeyCiphertext!: string;

  @Column({ name: 'activates_at', type: 'timestamptz' })
  activatesAt!: Date;

  @Column({ name: 'deactivates_at', type: 'timestamptz', nullable: true })
  deactivatesAt!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
