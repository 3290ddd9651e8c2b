import { describe, expect, it } from '@jest/globals';
import { withAddOns } from '../../../test/support/solver-runs.js';
import { yamlToShopJson } from '../../shop/shop-yaml.js';
import type { ShopModelJson } from '../../shop/shop-json.js';
import { hydroSystem } from './hydro-system.js';
import { withReserves } from './reserve-data.js';

/** The reference reserve model with its obligations and `extra` (SHOP YAML) on top. */
function reserveSystem(extra: string) {
  const model = withAddOns('reserve_capacity_model.yaml', 'reserve_obligation.yaml');
  const addOn = yamlToShopJson(extra) as ShopModelJson;
  for (const [type, objects] of Object.entries(addOn.model)) {
    const into = (model.model[type] ??= {}) as Record<string, Record<string, unknown>>;
    for (const [name, attributes] of Object.entries(objects ?? {})) into[name] = { ...into[name], ...attributes };
  }
  model.connections = [...(model.connections ?? []), ...(addOn.connections ?? [])];
  const system = withReserves(hydroSystem(model), model);
  const index = (name: string) => {
    const plant = system.plants.findIndex((p) => p.generators.some((g) => g.name === name));
    return { plant, generator: system.plants[plant].generators.findIndex((g) => g.name === name) };
  };
  return { reserves: system.reserves!, index };
}

describe('withReserves', () => {
  it('reads a gen_reserve_capability onto its generator: p_extended and schedule for its key', () => {
    const { reserves, index } = reserveSystem(
      [
        'model:',
        '  gen_reserve_capability:',
        '    G1_fcr_d_up:',
        '      reserve_type_name: FCR_D_UP',
        '      p_extended: 190',
        '      schedule: 4',
        'connections:',
        '  - from: Plant2_G1',
        '    to: G1_fcr_d_up',
        '    from_type: generator',
        '    to_type: gen_reserve_capability',
        '    connection_type: connection_standard',
        '    order: 0',
        '',
      ].join('\n'),
    );
    const g1 = index('Plant2_G1');
    const data = reserves.units[g1.plant][g1.generator];
    expect(data.pExtended?.fcr_d_up).toHaveLength(72);
    expect(new Set(data.pExtended?.fcr_d_up)).toEqual(new Set([190]));
    expect(new Set(data.schedule.fcr_d_up)).toEqual(new Set([4]));
    const g2 = index('Plant2_G2');
    expect(reserves.units[g2.plant][g2.generator].pExtended).toBeUndefined();
  });

  it('reads a plant’s FRR limits and spinning caps, flags per step', () => {
    const { reserves } = reserveSystem(
      [
        'model:',
        '  plant:',
        '    Plant2:',
        '      frr_up_max:',
        '        2018-01-23 00:00:00: 12',
        '      frr_symmetric_flag:',
        '        2018-01-23 00:00:00: 1',
        '      spinning_reserve_down_max:',
        '        2018-01-23 00:00:00: 30',
        '        2018-01-24 00:00:00: 20',
        '',
      ].join('\n'),
    );
    const plant2 = reserves.plants[1];
    expect(new Set(plant2.frrUpMax)).toEqual(new Set([12]));
    expect(new Set(plant2.frrSymmetric)).toEqual(new Set([1]));
    expect(plant2.spinningDownMax?.slice(23, 25)).toEqual([30, 20]);
    expect(reserves.plants[0]).toEqual({});
  });
});
