import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter per session that every write of its model (upload, SHOP API value, a run's results)
 * raises in the same transaction: a reader that has the model of a revision knows, by one indexed
 * read, whether it is still the model (GET /model's cache and ETag), in every API process.
 */
export class CreateModelRevision1765497600000 implements MigrationInterface {
  name = 'CreateModelRevision1765497600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE model_revision (
        session_id integer PRIMARY KEY REFERENCES optimization_session (id) ON DELETE CASCADE,
        revision bigint NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE model_revision`);
  }
}
