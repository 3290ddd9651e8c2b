import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each session's stored log, and the endpoint its messages are delivered to. */
export class CreateSessionLog1764806400000 implements MigrationInterface {
  name = 'CreateSessionLog1764806400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE session_log (
        id bigserial PRIMARY KEY,
        session_id integer NOT NULL REFERENCES optimization_session (id) ON DELETE CASCADE,
        level text NOT NULL,
        message text NOT NULL,
        source text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ix_session_log_session ON session_log (session_id, id)`);
    await queryRunner.query(`
      CREATE TABLE logging_endpoint (
        session_id integer PRIMARY KEY REFERENCES optimization_session (id) ON DELETE CASCADE,
        url text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE logging_endpoint`);
    await queryRunner.query(`DROP TABLE session_log`);
  }
}
