import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a session's SHOP API client (pyshop) leaves on the server between its calls: the time zone
 * it named, how many objects the session had when it last listed them (UpdateNeeded), and the last
 * log message GetMessages returned.
 */
export class CreateShopApiState1765238400000 implements MigrationInterface {
  name = 'CreateShopApiState1765238400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE shop_api_state (
        session_id integer PRIMARY KEY REFERENCES optimization_session (id) ON DELETE CASCADE,
        time_zone text NOT NULL DEFAULT '',
        listed_objects integer NOT NULL DEFAULT 0,
        messages_seen bigint NOT NULL DEFAULT 0
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE shop_api_state`);
  }
}
