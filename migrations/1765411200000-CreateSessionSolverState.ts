import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a session's last run left for its next one to go on from (SHOP continues a session's
 * iterations across `start sim`s): the iterations' trajectories and counters, as JSON.
 */
export class CreateSessionSolverState1765411200000 implements MigrationInterface {
  name = 'CreateSessionSolverState1765411200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE session_solver_state (
        session_id integer PRIMARY KEY REFERENCES optimization_session (id) ON DELETE CASCADE,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE session_solver_state`);
  }
}
