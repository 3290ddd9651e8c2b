import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InvalidQueryError, ModelNotAcceptedError, SessionGoneError } from '../../src/common/errors/tarn-error.js';
import { DEFAULT_FILTERS, ModelStoreService } from '../../src/model-store/model-store.service.js';
import { parseShopDocument, type ShopDocument } from '../../src/shop/shop-document.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

/** A parsed document, as ModelUploadService hands it to the store. */
function parse(body: unknown): ShopDocument {
  const { document, problems, commandProblems } = parseShopDocument(body);
  expect(problems.list).toEqual([]);
  expect(commandProblems.list).toEqual([]);
  return document!;
}

const TIME = { start_time: '2018-01-23T00:00:00Z', end_time: '2018-01-24T00:00:00Z', time_unit: 'hour' };

const MODEL = {
  time: TIME,
  model: {
    reservoir: { Rsv1: { max_vol: 12, lrl: 90, hrl: 100 } },
    plant: { Plant1: { outlet_line: 40 } },
    market: { Day_ahead: { sale_price: 30 } },
  },
  connections: [{ from: 'Rsv1', from_type: 'reservoir', to: 'Plant1', to_type: 'plant' }],
};

describe('ModelStoreService (service level, on the test database)', () => {
  let db: TestDatabase;
  let store: ModelStoreService;

  beforeAll(async () => {
    db = await openTestDatabase();
    store = new ModelStoreService(db.dataSource);
  });
  afterAll(async () => db?.close());

  const write = (sessionId: number, document: ShopDocument) =>
    db.dataSource.transaction((manager) => store.write(manager, sessionId, document));

  it('writes a document and reads it back as SHOP JSON, filtered in the query', async () => {
    const id = await db.newSession();
    await write(id, parse(MODEL));

    const all = await store.get(id, DEFAULT_FILTERS);
    expect(all.time).toEqual(TIME);
    expect(all.model.reservoir.Rsv1).toEqual({ hrl: 100, lrl: 90, max_vol: 12 });
    expect(all.model.plant.Plant1).toEqual({ outlet_line: 40 });
    expect(all.connections).toEqual([
      expect.objectContaining({ from: 'Rsv1', from_type: 'reservoir', to: 'Plant1', to_type: 'plant' }),
    ]);

    const one = await store.get(id, { ...DEFAULT_FILTERS, objectType: 'reservoir', attributeName: 'lrl' });
    expect(one.model).toEqual({ reservoir: { Rsv1: { lrl: 90 } } });
    expect(one.connections).toHaveLength(1);
    expect(await store.instanceNames(id)).toEqual(
      new Map([
        ['reservoir', ['Rsv1']],
        ['plant', ['Plant1']],
        ['market', ['Day_ahead']],
      ]),
    );
  });

  it('merges a later upload attribute by attribute and keeps the rest', async () => {
    const id = await db.newSession();
    await write(id, parse(MODEL));
    await write(id, parse({ model: { reservoir: { Rsv1: { max_vol: 15 } } } }));
    const { model } = await store.get(id, { ...DEFAULT_FILTERS, objectType: 'reservoir' });
    expect(model.reservoir.Rsv1).toEqual({ hrl: 100, lrl: 90, max_vol: 15 });
  });

  it('refuses connections to objects that exist nowhere, and the transaction stores nothing', async () => {
    const id = await db.newSession();
    const document = parse({
      model: { reservoir: { Lonely: { max_vol: 1 } } },
      connections: [{ from: 'Lonely', from_type: 'reservoir', to: 'Ghost', to_type: 'plant' }],
    });
    const refused = await write(id, document).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ModelNotAcceptedError);
    expect((refused as ModelNotAcceptedError).details).toEqual([
      expect.objectContaining({ path: expect.stringContaining('connections[0]') }),
    ]);
    expect((await store.get(id, DEFAULT_FILTERS)).model).toEqual({});
  });

  it('keeps commands queued until they are done, and drops queued ones on cancel', async () => {
    const id = await db.newSession();
    const queued = () =>
      db.dataSource
        .query(`SELECT count(*)::int AS n FROM session_command WHERE session_id = $1 AND status = 'queued'`, [id])
        .then((rows: Array<{ n: number }>) => rows[0].n);
    await write(id, parse({ commands: ['set time_delay_unit hour', 'start sim 1'] }));
    expect(await queued()).toBe(2);
    await store.markCommandsDone(id);
    expect(await queued()).toBe(0);
    await write(id, parse({ commands: ['start sim 3'] }));
    expect(await store.dropQueuedCommands(id)).toBe(1);
    expect(await store.dropQueuedCommands(id)).toBe(0);
  });

  it('writes outputs over earlier ones, creating result objects, and refuses a deleted session', async () => {
    const id = await db.newSession();
    await write(id, parse(MODEL));
    const output = (value: number) => ({
      objectType: 'objective',
      objectName: 'average_objective',
      attribute: 'grand_total',
      value,
    });
    await store.writeOutputs(id, [output(-5)]);
    await store.writeOutputs(id, [output(-7)]);
    const results = await store.get(id, { ...DEFAULT_FILTERS, isInput: false });
    expect(results.model.objective).toEqual({ average_objective: { grand_total: -7 } });
    const inputs = await store.get(id, { ...DEFAULT_FILTERS, isOutput: false });
    expect(inputs.model.objective).toBeUndefined();

    await db.dataSource.query('DELETE FROM optimization_session WHERE id = $1', [id]);
    await expect(store.writeOutputs(id, [output(1)])).rejects.toBeInstanceOf(SessionGoneError);
  });

  it('answers the input view a run reads as stored, across result writes that change it or not', async () => {
    const id = await db.newSession();
    await write(id, parse(MODEL));
    const inputView = { ...DEFAULT_FILTERS, isOutput: false };
    expect((await store.get(id, inputView)).model.reservoir.Rsv1).toEqual({ hrl: 100, lrl: 90, max_vol: 12 });
    const write1 = (objectType: string, objectName: string, attribute: string, value: number) =>
      store.writeOutputs(id, [{ objectType, objectName, attribute, value }]);

    // Results leave the input view as it was.
    await write1('objective', 'average_objective', 'grand_total', -5);
    expect((await store.get(id, inputView)).model.reservoir.Rsv1).toEqual({ hrl: 100, lrl: 90, max_vol: 12 });
    // An input attribute written with them changes it, in an object that exists already...
    await write1('reservoir', 'Rsv1', 'max_vol', 13);
    expect((await store.get(id, inputView)).model.reservoir.Rsv1).toEqual({ hrl: 100, lrl: 90, max_vol: 13 });
    // ...and an object of a type that takes inputs appears in it.
    await write1('reservoir', 'Rsv2', 'max_vol', 4);
    expect((await store.get(id, inputView)).model.reservoir.Rsv2).toEqual({ max_vol: 4 });
  });

  it('names an unknown object type in a filter as a query mistake', async () => {
    const id = await db.newSession();
    await expect(store.get(id, { ...DEFAULT_FILTERS, objectType: 'volcano' })).rejects.toThrow(
      new InvalidQueryError('objectType: unknown object type "volcano"'),
    );
  });
});
