import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAccountsUsersDeprecatedCalls1764547200000 implements MigrationInterface {
  name = 'CreateAccountsUsersDeprecatedCalls1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE account (
        id serial PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_account_name UNIQUE (name)
      )`);
    await queryRunner.query(`
      CREATE TABLE app_user (
        id serial PRIMARY KEY,
        email text NOT NULL,
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        roles text[] NOT NULL DEFAULT '{user}',
        token_version integer NOT NULL DEFAULT 0,
        account_id integer NOT NULL REFERENCES account (id) ON DELETE RESTRICT,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_app_user_email UNIQUE (email),
        CONSTRAINT ck_app_user_email_lower CHECK (email = lower(email))
      )`);
    await queryRunner.query(`CREATE INDEX ix_app_user_account ON app_user (account_id)`);
    await queryRunner.query(`
      CREATE TABLE deprecated_call (
        id serial PRIMARY KEY,
        user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        account_id integer NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        method text NOT NULL,
        route text NOT NULL,
        calls bigint NOT NULL DEFAULT 0,
        first_called_at timestamptz NOT NULL,
        last_called_at timestamptz NOT NULL,
        CONSTRAINT uq_deprecated_call_user_route UNIQUE (user_id, method, route)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE deprecated_call`);
    await queryRunner.query(`DROP TABLE app_user`);
    await queryRunner.query(`DROP TABLE account`);
  }
}
