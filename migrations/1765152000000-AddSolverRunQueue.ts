import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs on the BullMQ queue: which runner has a run (`process`: this process's worker threads,
 * found orphaned by the heartbeat; `queue`: a worker process, whose deaths BullMQ detects), how
 * many times it was started (a retry after a worker died is the second), and, for a run that
 * ended in a client error (422 and the like), the answer a waiting PUT /model gives.
 */
export class AddSolverRunQueue1765152000000 implements MigrationInterface {
  name = 'AddSolverRunQueue1765152000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE solver_run
        ADD COLUMN runner text NOT NULL DEFAULT 'process',
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN error jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE solver_run DROP COLUMN runner, DROP COLUMN attempts, DROP COLUMN error`);
  }
}
