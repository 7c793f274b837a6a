import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 63, unique: true })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: 'active' | 'disabled';

  @Column({ name: 'access_token_alg', type: 'varchar', length: 16, default: 'ES256' })
  accessTokenAlg!: string;

  @Column({ name: 'access_token_ttl_seconds', type: 'integer', default: 3600 })
  accessTokenTtlSeconds!: number;

  @Column({ name: 'id_token_ttl_seconds', type: 'integer', default: 3600 })
  idTokenTtlSeconds!: number;

  @Column({ name: 'session_ttl_seconds', type: 'integer', default: 86400 })
  sessionTtlSeconds!: number;

  @Column({ name: 'accept_token_endpoint_audience', type: 'boolean', default: true })
  acceptTokenEndpointAudience!: boolean;

  @Column({ name: 'refresh_token_idle_ttl_seconds', type: 'integer', default: 1209600 })
  refreshTokenIdleTtlSeconds!: number;

  @Column({ name: 'refresh_token_absolute_ttl_seconds', type: 'integer', default: 7776000 })
  refreshTokenAbsoluteTtlSeconds!: number;

  @Column({ name: 'refresh_without_offline_access', type: 'boolean', default: false })
  refreshWithoutOfflineAccess!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
