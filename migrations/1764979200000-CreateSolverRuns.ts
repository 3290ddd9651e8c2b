import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every PUT /model with commands is a run: its state, timings and outcome, persisted at each change. */
export class CreateSolverRuns1764979200000 implements MigrationInterface {
  name = 'CreateSolverRuns1764979200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE solver_run (
        id serial PRIMARY KEY,
        session_id integer NOT NULL REFERENCES optimization_session (id) ON DELETE CASCADE,
        status text NOT NULL,
        commands jsonb NOT NULL,
        solver_status text,
        objective double precision,
        iterations integer,
        message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX ix_solver_run_session ON solver_run (session_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE solver_run`);
  }
}
