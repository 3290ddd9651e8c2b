import type { PyshopWireClient } from './pyshop-client.js';

/**
 * pyshop's basic example (pyshop/examples/basic.py: 2 reservoirs, 2 plants with one generator
 * each, a day-ahead market, 24 hours) as the SHOP API calls pyshop makes for it, in its order,
 * including the listings it makes around each `add_object` and the time queries around each
 * series (pyshop-compat.md §6). Values are written as pyshop writes them: floats stay floats,
 * DataFrames become rows.
 */
export async function buildBasicModel(shop: PyshopWireClient): Promise<void> {
  const START = '20180227000000';
  const addObject = async (type: string, name: string) => {
    await shop.call('UpdateNeeded');
    await shop.call('AddObject', type, name);
    await shop.call('GetObjectNamesInSystem');
    await shop.call('GetObjectTypesInSystem');
    await shop.call('UpdateNeeded');
    await shop.call('GetObjectTypeAttributeNames', type);
    await shop.call('GetObjectTypeAttributeDatatypes', type);
  };
  const timeQueries = async () => {
    for (const name of [
      'GetTimeZone',
      'GetStartTime',
      'GetEndTime',
      'GetTimeUnit',
      'GetTimeResolutionT',
      'GetTimeResolutionY',
    ]) {
      await shop.call(name);
    }
  };
  const connect = async (fromType: string, from: string, toType: string, to: string) => {
    const relation = await shop.call('GetDefaultRelationType', fromType, toType);
    await shop.call('AddRelation', fromType, from, relation, toType, to);
  };

  await shop.call('SetTimeResolution', START, '20180228000000', 'hour');

  for (const [reservoir, maxVol, lrl, hrl, volHead, flowDescr] of [
    [
      'Reservoir1',
      12.0,
      90.0,
      100.0,
      [
        [0.0, 12.0, 14.0],
        [90.0, 100.0, 101.0],
      ],
      [
        [100.0, 101.0],
        [0.0, 1000.0],
      ],
    ],
    [
      'Reservoir2',
      5.0,
      40.0,
      50.0,
      [
        [0.0, 5.0, 6.0],
        [40.0, 50.0, 51.0],
      ],
      [
        [50.0, 51.0],
        [0.0, 1000.0],
      ],
    ],
  ] as const) {
    await addObject('reservoir', reservoir);
    await shop.call('SetDoubleValue', 'reservoir', reservoir, 'max_vol', maxVol);
    await shop.call('SetDoubleValue', 'reservoir', reservoir, 'lrl', lrl);
    await shop.call('SetDoubleValue', 'reservoir', reservoir, 'hrl', hrl);
    await shop.call('SetXyCurve', 'reservoir', reservoir, 'vol_head', 0.0, ...volHead);
    await shop.call('SetXyCurve', 'reservoir', reservoir, 'flow_descr', 0.0, ...flowDescr);
  }
  for (const [plant, outletLine, generator] of [
    ['Plant1', 40.0, 'Plant1_G1'],
    ['Plant2', 0.0, 'Plant2_G1'],
  ] as const) {
    await addObject('plant', plant);
    await shop.call('SetDoubleValue', 'plant', plant, 'outlet_line', outletLine);
    await shop.call('SetDoubleArray', 'plant', plant, 'main_loss', [0.0002]);
    await shop.call('SetDoubleArray', 'plant', plant, 'penstock_loss', [0.0001]);
    await addObject('generator', generator);
    await connect('plant', plant, 'generator', generator);
    await shop.call('SetIntValue', 'generator', generator, 'penstock', 1);
    await shop.call('SetDoubleValue', 'generator', generator, 'p_min', 25.0);
    await shop.call('SetDoubleValue', 'generator', generator, 'p_max', 100.0);
    await shop.call('SetDoubleValue', 'generator', generator, 'p_nom', 100.0);
    await timeQueries();
    await shop.call('SetTxySeries', 'generator', generator, 'startcost', START, [0], [500.0]);
    await shop.call('SetXyCurve', 'generator', generator, 'gen_eff_curve', 0.0, [0.0, 100.0], [95.0, 98.0]);
    await shop.call(
      'SetXyCurveArray',
      'generator',
      generator,
      'turb_eff_curves',
      [90.0, 100.0],
      [3.0, 3.0],
      [25.0, 90.0, 100.0, 25.0, 90.0, 100.0],
      [80.0, 95.0, 90.0, 82.0, 98.0, 92.0],
    );
  }
  await connect('reservoir', 'Reservoir1', 'plant', 'Plant1');
  await connect('plant', 'Plant1', 'reservoir', 'Reservoir2');
  await connect('reservoir', 'Reservoir2', 'plant', 'Plant2');
  await shop.call('SetDoubleValue', 'reservoir', 'Reservoir1', 'start_head', 92.0);
  await shop.call('SetDoubleValue', 'reservoir', 'Reservoir2', 'start_head', 43.0);
  await shop.call('SetDoubleValue', 'reservoir', 'Reservoir1', 'energy_value_input', 39.7);
  await shop.call('SetDoubleValue', 'reservoir', 'Reservoir2', 'energy_value_input', 38.6);

  await addObject('market', 'Day_ahead');
  for (const [attribute, value] of [
    ['sale_price', 39.99],
    ['buy_price', 40.01],
    ['max_buy', 9999.0],
    ['max_sale', 9999.0],
  ] as const) {
    await timeQueries();
    await shop.call('SetTxySeries', 'market', 'Day_ahead', attribute, START, [0], [value]);
  }
  await timeQueries();
  await shop.call('SetTxySeries', 'reservoir', 'Reservoir1', 'inflow', START, [0, 1], [[101.0], [50.0]]);
}

/** The commands of the basic example: 3 full iterations, then 3 incremental ones. */
export async function runBasicCommands(shop: PyshopWireClient): Promise<unknown[]> {
  return [
    await shop.call('ExecuteCommand', 'start sim', [], ['3']),
    await shop.call('ExecuteCommand', 'set code', ['incremental'], []),
    await shop.call('ExecuteCommand', 'start sim', [], ['3']),
  ];
}

/** `attr.get()` of a series, as pyshop reads it. */
export async function readSeries(
  shop: PyshopWireClient,
  type: string,
  name: string,
  attribute: string,
): Promise<{ start: string; t: number[]; y: number[] }> {
  const start = (await shop.call('GetTxySeriesStartTime', type, name, attribute)) as string;
  await shop.call('GetTimeZone');
  const t = (await shop.call('GetTxySeriesT', type, name, attribute)) as number[];
  const y = (await shop.call('GetTxySeriesY', type, name, attribute)) as number[];
  await shop.call('GetTimeUnit');
  return { start, t, y };
}
