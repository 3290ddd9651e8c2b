import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A session's solver state is stored and read whole, never queried into: kept as json (its text,
 * checked) rather than jsonb, which PostgreSQL parses into its binary form on every write (~40 kB
 * after each run of the basic model: ~1.5 ms of the embedded database, in the API's thread).
 */
export class SolverStateAsJson1765670400000 implements MigrationInterface {
  name = 'SolverStateAsJson1765670400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE session_solver_state ALTER COLUMN state TYPE json USING state::json`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE session_solver_state ALTER COLUMN state TYPE jsonb USING state::jsonb`);
  }
}
