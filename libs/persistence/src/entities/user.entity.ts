import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'users' })
@Index('uq_users_tenant_username', ['tenantId', 'username'], { unique: true })
@Index('uq_users_tenant_email', ['tenantId', 'email'], { unique: true, where: 'email IS NOT NULL' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** Stored lowercased: usernames are case-insensitive within a tenant. */
  @Column({ type: 'varchar', length: 128 })
  username!: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  /** argon2id PHC string; never the password. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  @Column({ name: 'email_verified', type: 'boolean', default: false })
  emailVerified!: boolean;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles!: string[];

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: 'active' | 'disabled';

  /** Consecutive wrong passwords since the last successful login, unlock or lock expiry. */
  @Column({ name: 'failed_login_count', type: 'integer', default: 0 })
  failedLoginCount!: number;

  /** While in the future, the account cannot sign in, even with the right password. */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  /** Wrong passwords and codes counted across temporary locks; reset only by a successful login or an admin unlock. */
  @Column({ name: 'consecutive_failed_logins', type: 'integer', default: 0 })
  consecutiveFailedLogins!: number;

  /** Set at the tenant's hardLockThreshold: no sign-in until an admin unlocks (NIST SP 800-63B §5.2.2). */
  @Column({ name: 'hard_locked_at', type: 'timestamptz', nullable: true })
  hardLockedAt!: Date | null;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
