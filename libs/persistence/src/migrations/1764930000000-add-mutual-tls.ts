import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * RFC 8705 mutual TLS (docs/adr/0018): the tenant's switch (`mtls.enabled`), the client's registered certificate subject
 * (`tls_client_auth_*`, one field and its value) and `tls_client_certificate_bound_access_tokens`.
 */
export class AddMutualTls1764930000000 implements MigrationInterface {
  name = 'AddMutualTls1764930000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" ADD "mtls_enabled" boolean NOT NULL DEFAULT false`);
    await db.query(`ALTER TABLE "clients" ADD "tls_client_auth_subject" jsonb`);
    await db.query(`ALTER TABLE "clients" ADD "tls_client_certificate_bound_access_tokens" boolean NOT NULL DEFAULT false`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "clients" DROP COLUMN "tls_client_certificate_bound_access_tokens"`);
    await db.query(`ALTER TABLE "clients" DROP COLUMN "tls_client_auth_subject"`);
    await db.query(`ALTER TABLE "tenants" DROP COLUMN "mtls_enabled"`);
  }
}
