import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/tarn-config.js';
import { SessionLogService } from '../../src/logging/session-log.service.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('SessionLogService (service level, on the test database)', () => {
  let db: TestDatabase;
  let logs: SessionLogService;

  beforeAll(async () => {
    db = await openTestDatabase();
    logs = new SessionLogService(db.dataSource, loadConfig([], { TARN_DATA_DIR: 'memory://' }));
  });
  afterAll(async () => {
    logs?.onApplicationShutdown();
    await db?.close();
  });

  it('stores a message quoting text the database cannot hold, escaped', async () => {
    const sessionId = await db.newSession();
    await logs.log(sessionId, 'ERROR', 'no reservoir named "R\u0000\ud800\u0001"\tend\nnext line');
    const [stored] = await logs.messages(sessionId, 0);
    expect(stored).toMatchObject({
      level: 'ERROR',
      message: 'no reservoir named "R\\u0000\\ud800\\u0001"\tend\nnext line',
    });
  });
});
