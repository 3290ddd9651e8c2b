import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions created without credentials in the SHOP Server compatibility mode (`shop_compat`):
 * pyshop never deletes its sessions, so these are deleted after TARN_SHOP_COMPAT_SESSION_IDLE
 * without a request (`last_activity_at`, written at most once a minute).
 */
export class AddSessionShopCompat1765324800000 implements MigrationInterface {
  name = 'AddSessionShopCompat1765324800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE optimization_session
        ADD COLUMN shop_compat boolean NOT NULL DEFAULT false,
        ADD COLUMN last_activity_at timestamptz NOT NULL DEFAULT now()`);
    await queryRunner.query(
      `CREATE INDEX ix_optimization_session_shop_compat_idle ON optimization_session (last_activity_at) WHERE shop_compat`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_optimization_session_shop_compat_idle`);
    await queryRunner.query(`ALTER TABLE optimization_session DROP COLUMN shop_compat, DROP COLUMN last_activity_at`);
  }
}
