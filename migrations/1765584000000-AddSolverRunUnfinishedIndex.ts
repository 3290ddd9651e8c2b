import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The runs that have not ended, by session: what starting a run reads (its account's runs that
 * wait or run, TARN_MAX_RUNS_PER_ACCOUNT), with the waiting-runs gauge, the heartbeat and the
 * queue's reconciler. Few rows whatever the history, so those reads stay cheap.
 */
export class AddSolverRunUnfinishedIndex1765584000000 implements MigrationInterface {
  name = 'AddSolverRunUnfinishedIndex1765584000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX ix_solver_run_unfinished ON solver_run (session_id, id) WHERE status IN ('queued', 'running')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_solver_run_unfinished`);
  }
}
