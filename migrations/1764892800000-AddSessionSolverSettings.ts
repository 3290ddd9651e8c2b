import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The solver settings a session's commands set (`set mipgap`, `penalty flag`, ...): they hold for later uploads. */
export class AddSessionSolverSettings1764892800000 implements MigrationInterface {
  name = 'AddSessionSolverSettings1764892800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE optimization_session ADD COLUMN solver_settings jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE optimization_session DROP COLUMN solver_settings`);
  }
}
