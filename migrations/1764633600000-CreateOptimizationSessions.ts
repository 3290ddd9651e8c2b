import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOptimizationSessions1764633600000 implements MigrationInterface {
  name = 'CreateOptimizationSessions1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE optimization_session (
        id serial PRIMARY KEY,
        name text NOT NULL,
        log_file text NOT NULL DEFAULT '',
        user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        account_id integer NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ix_optimization_session_user ON optimization_session (user_id)`);
    await queryRunner.query(`CREATE INDEX ix_optimization_session_account ON optimization_session (account_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE optimization_session`);
  }
}
