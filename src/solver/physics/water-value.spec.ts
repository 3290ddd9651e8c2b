import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { yamlToShopJson } from '../../shop/shop-yaml.js';
import {
  cascadeOf,
  type ConnectionLike,
  energyConversionFactors,
  globalWaterValues,
  type ShopModelLike,
  unitOf,
} from './cascade.js';
import { energyConversionFactor, waterValues } from './water-value.js';

const basic = JSON.parse(readFileSync(new URL('../../../test/fixtures/basic-model.json', import.meta.url), 'utf8'));

describe('energy conversion factor on the basic model (modelling.md)', () => {
  it('is 583.0006 for Reservoir1 through Plant1_Generator1', () => {
    // H_gross = 900 − max(672, 670) = 228; Q_b = 51.43 (best point of both bracketing curves);
    // H_b = 228 − (0 + 0.001)·51.43² = 225.3549551; η_turb = 94.1492 + (95.0813 − 94.1492)·25.3549551/30
    // = 94.936978; η_gen = 100 %. ECF = 9.81 · 225.3549551 · 0.94936978 / 3.6 = 583.00063.
    const result = energyConversionFactor({
      upstreamLevel: 900,
      downstreamLevel: 670,
      outletLine: 672,
      mainLoss: 0,
      penstockLoss: 0.001,
      unit: unitOf(basic.model.generator.Plant1_Generator1),
    });
    expect(result.qBest).toBe(51.43);
    expect(result.headBest).toBeCloseTo(225.3549551, 7);
    expect(result.turbineEfficiency).toBeCloseTo(94.936978, 5);
    expect(result.generatorEfficiency).toBe(100);
    expect(result.ecf).toBeCloseTo(583.0006, 3);
  });

  it('is 205.2249 for Reservoir2 through Plant2_Generator1', () => {
    // H_gross = 670 − 586 = 84 (sea below); Q_b = 220.95 (95.1892 %, the only curve, clamped in head);
    // H_b = 84 − 0.0001·220.95² = 79.11810975. ECF = 9.81 · 79.11810975 · 0.951892 / 3.6 = 205.224916.
    const result = energyConversionFactor({
      upstreamLevel: 670,
      outletLine: 586,
      mainLoss: 0,
      penstockLoss: 0.0001,
      unit: unitOf(basic.model.generator.Plant2_Generator1),
    });
    expect(result.qBest).toBe(220.95);
    expect(result.headBest).toBeCloseTo(79.11810975, 7);
    expect(result.ecf).toBeCloseTo(205.2249, 3);
  });

  it('comes out of the model and its connections', () => {
    const ecfs = energyConversionFactors(basic.model, basic.connections);
    expect(ecfs.get('Reservoir1')!.ecf).toBeCloseTo(583.0006, 3);
    expect(ecfs.get('Reservoir2')!.ecf).toBeCloseTo(205.2249, 3);
  });

  it('also from the YAML-style connections without types', () => {
    const untyped = basic.connections.map((c: { from: string; to: string }) => ({ from: c.from, to: c.to }));
    expect(cascadeOf(basic.model, untyped).reservoirs).toEqual([
      { name: 'Reservoir1', plant: 'Plant1', downstream: 'Reservoir2' },
      { name: 'Reservoir2', plant: 'Plant2', downstream: undefined },
    ]);
    expect(energyConversionFactors(basic.model, untyped).get('Reservoir1')!.ecf).toBeCloseTo(583.0006, 3);
  });
});

describe('water values', () => {
  it('adds the downstream value, the sea being 0', () => {
    // B: 5·4 = 20; A: 2·3 + 20 = 26; C has no plant: 0 + WV_B.
    const values = waterValues([
      { name: 'A', energyValueInput: 2, ecf: 3, downstream: 'B' },
      { name: 'B', energyValueInput: 5, ecf: 4 },
      { name: 'C', downstream: 'B' },
    ]);
    expect(Object.fromEntries(values)).toEqual({ A: 26, B: 20, C: 20 });
  });

  it('rejects cycles and unknown reservoirs', () => {
    expect(() =>
      waterValues([
        { name: 'A', downstream: 'B' },
        { name: 'B', downstream: 'A' },
      ]),
    ).toThrow('cycle');
    expect(() => waterValues([{ name: 'A', downstream: 'X' }])).toThrow('unknown');
  });

  it('on the basic model: WV_2 = 10·205.2249, WV_1 = 30·583.0006 + WV_2', () => {
    const values = globalWaterValues(basic.model, basic.connections);
    expect(values.get('Reservoir2')!).toBeCloseTo(2052.249, 2);
    expect(values.get('Reservoir1')!).toBeCloseTo(30 * 583.0006 + 2052.249, 2);
  });
});

describe('energy values through a gate (modelling-2.md §5, water_values_model.yaml)', () => {
  // Reservoir1 → Flow_gate → Reservoir2 → Plant1 → Reservoir3 → Plant2 → sea.
  const base = yamlToShopJson(
    readFileSync(new URL('../../../test/fixtures/water_values_model.yaml', import.meta.url), 'utf8'),
  ) as { model: ShopModelLike; connections: ConnectionLike[] };
  const model = structuredClone(base.model);
  model.reservoir!.Reservoir1.energy_value_input = 31;
  model.reservoir!.Reservoir2.energy_value_input = 30;
  model.reservoir!.Reservoir3.energy_value_input = 20;

  it('converts through the first plant below, at that plant’s own upstream start level', () => {
    expect(cascadeOf(model, base.connections).reservoirs[0]).toEqual({
      name: 'Reservoir1',
      via: 'Reservoir2',
      plant: 'Plant1',
      downstream: 'Reservoir3',
    });
    const ecfs = energyConversionFactors(model, base.connections);
    // Plant1 at Reservoir2's start level 900 m over max(672, 670): the basic model's 583.0006.
    expect(ecfs.get('Reservoir2')!.ecf).toBeCloseTo(583.0006, 3);
    expect(ecfs.get('Reservoir1')!.ecf).toBe(ecfs.get('Reservoir2')!.ecf);
    expect(ecfs.get('Reservoir3')!.ecf).toBeCloseTo(205.2249, 3);
  });

  it('adds the value of the reservoir below the plant, skipping the one in between', () => {
    const values = globalWaterValues(model, base.connections);
    const wv3 = 20 * 205.2249;
    expect(values.get('Reservoir3')!).toBeCloseTo(wv3, 2);
    expect(values.get('Reservoir2')!).toBeCloseTo(30 * 583.0006 + wv3, 2);
    expect(values.get('Reservoir1')!).toBeCloseTo(31 * 583.0006 + wv3, 2);
  });

  it('a table reservoir below counts with its given value', () => {
    const values = globalWaterValues(model, base.connections, new Map([['Reservoir3', 5000]]));
    expect(values.get('Reservoir3')).toBe(5000);
    expect(values.get('Reservoir2')!).toBeCloseTo(30 * 583.0006 + 5000, 2);
    expect(values.get('Reservoir1')!).toBeCloseTo(31 * 583.0006 + 5000, 2);
  });
});
