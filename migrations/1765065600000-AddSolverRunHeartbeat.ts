import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When the process running a run last said it is alive: runs whose process stopped are found by it. */
export class AddSolverRunHeartbeat1765065600000 implements MigrationInterface {
  name = 'AddSolverRunHeartbeat1765065600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE solver_run ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE solver_run DROP COLUMN heartbeat_at`);
  }
}
