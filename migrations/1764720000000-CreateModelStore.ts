import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The SHOP model of each session: one row per object, per attribute value, per connection. */
export class CreateModelStore1764720000000 implements MigrationInterface {
  name = 'CreateModelStore1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE model_time (
        session_id integer PRIMARY KEY REFERENCES optimization_session (id) ON DELETE CASCADE,
        value jsonb NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE model_object (
        session_id integer NOT NULL REFERENCES optimization_session (id) ON DELETE CASCADE,
        object_type text NOT NULL,
        object_name text NOT NULL,
        position serial,
        PRIMARY KEY (session_id, object_type, object_name)
      )`);
    await queryRunner.query(`
      CREATE TABLE model_attribute (
        session_id integer NOT NULL,
        object_type text NOT NULL,
        object_name text NOT NULL,
        attribute text NOT NULL,
        datatype text,
        value jsonb NOT NULL,
        PRIMARY KEY (session_id, object_type, object_name, attribute),
        FOREIGN KEY (session_id, object_type, object_name)
          REFERENCES model_object (session_id, object_type, object_name) ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE model_connection (
        id serial PRIMARY KEY,
        session_id integer NOT NULL REFERENCES optimization_session (id) ON DELETE CASCADE,
        from_type text NOT NULL,
        from_name text NOT NULL,
        to_type text NOT NULL,
        to_name text NOT NULL,
        relation_type text NOT NULL,
        relation_direction text NOT NULL,
        connection_order integer,
        CONSTRAINT uq_model_connection UNIQUE (session_id, from_type, from_name, to_type, to_name, relation_type)
      )`);
    await queryRunner.query(`
      CREATE TABLE session_command (
        id serial PRIMARY KEY,
        session_id integer NOT NULL REFERENCES optimization_session (id) ON DELETE CASCADE,
        command text NOT NULL,
        options jsonb NOT NULL,
        command_values jsonb NOT NULL,
        status text NOT NULL DEFAULT 'queued',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ix_session_command_session ON session_command (session_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE session_command`);
    await queryRunner.query(`DROP TABLE model_connection`);
    await queryRunner.query(`DROP TABLE model_attribute`);
    await queryRunner.query(`DROP TABLE model_object`);
    await queryRunner.query(`DROP TABLE model_time`);
  }
}
