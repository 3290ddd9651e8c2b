import { describe, expect, it } from '@jest/globals';
import { withAddOns } from '../../../test/support/solver-runs.js';
import { withCutGroups } from './cut-data.js';
import { HydroModelError, hydroSystem } from './hydro-system.js';

const LOGICAL = { relation_type: 'default', relation_direction: 'both' } as const;
const standard = () => withAddOns('cuts_model.yaml', 'standard_cuts.yaml');
const read = (model: ReturnType<typeof standard>) => withCutGroups(hydroSystem(model), model);
type Tables = Array<{ ref: number; x: number[]; y: number[] }>;
const tablesOf = (model: ReturnType<typeof standard>, reservoir: string) =>
  model.model.reservoir![reservoir].water_value_input as Tables;

describe('cut groups read from the model (modelling-2.md §5)', () => {
  it('standard cuts: one level, K_k = rhs_k − Σ_i y_ik·x_ik, coefficients per reservoir', () => {
    const model = standard();
    const [group] = read(model).cutGroups!;
    expect(group.name).toBe('my_cuts');
    expect(group.reservoirs).toEqual([0, 1]);
    expect(group.weights).toEqual([{ level: 0, weight: 1 }]);
    const rhs = (model.model.cut_group!.my_cuts.rhs as Tables)[0].y;
    const [r1, r2] = [tablesOf(model, 'Reservoir1')[0], tablesOf(model, 'Reservoir2')[0]];
    expect(group.levels[0].constant).toHaveLength(9);
    rhs.forEach((y, k) =>
      expect(group.levels[0].constant[k]).toBeCloseTo(y - r1.y[k] * r1.x[k] - r2.y[k] * r2.x[k], 6),
    );
    expect(group.levels[0].coefficients).toEqual([r1.y, r2.y]);
    // Their own water_value_input is not an end value table.
    expect(read(model).reservoirs.map((r) => [r.cutGroup, r.endValueTable])).toEqual([
      ['my_cuts', undefined],
      ['my_cuts', undefined],
    ]);
  });

  it('price-dependent cuts: the levels sorted by price, weighed by the mean sale price', () => {
    const model = withAddOns('cuts_model.yaml', 'price_dep_cuts.yaml');
    const [group] = read(model).cutGroups!;
    const prices = group.levels.map((level) => level.price);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(prices).toHaveLength(4);
    const sale = hydroSystem(model).markets[0].salePrice;
    const mean = sale.reduce((sum, p) => sum + p, 0) / sale.length;
    expect(group.meanPrice).toBeCloseTo(mean, 9);
    const [lo, hi] = group.weights;
    expect(prices[lo.level]).toBeLessThanOrEqual(mean);
    expect(prices[hi.level]).toBeGreaterThanOrEqual(mean);
    expect(hi.weight).toBeCloseTo((mean - prices[lo.level]) / (prices[hi.level] - prices[lo.level]), 12);
    expect(lo.weight + hi.weight).toBeCloseTo(1, 12);
  });

  it('an inflow series adds Σ_j IC_jk·I_j, I_j its reservoirs’ inflow over the window', () => {
    const model = standard();
    const before = read(model).cutGroups![0].levels[0].constant;
    model.model.inflow_series = { Series: { cut_coeffs: [{ ref: 0, x: Array(9).fill(0), y: Array(9).fill(2) }] } };
    model.connections!.push(
      { from: 'my_cuts', to: 'Series', from_type: 'cut_group', to_type: 'inflow_series', ...LOGICAL },
      { from: 'Series', to: 'Reservoir1', from_type: 'inflow_series', to_type: 'reservoir', ...LOGICAL },
    );
    const system = hydroSystem(model);
    const inflow = system.reservoirs[0].inflow;
    // 72 h: the mean inflow over 168 h.
    const volume = ((inflow.reduce((sum, q) => sum + q, 0) / inflow.length) * 0.0036 * 168) as number;
    const after = withCutGroups(system, model).cutGroups![0].levels[0].constant;
    after.forEach((k, i) => expect(k - before[i]).toBeCloseTo(2 * volume, 6));
  });

  it('refuses tables that do not fit the rhs (400)', () => {
    const model = standard();
    tablesOf(model, 'Reservoir2')[0].y.pop();
    expect(() => read(model)).toThrow(
      /model\.reservoir\.Reservoir2\.water_value_input: .*9 cuts in rhs, 8 coefficients/,
    );
    const other = standard();
    tablesOf(other, 'Reservoir1')[0].ref = 3;
    try {
      read(other);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(HydroModelError);
      expect((error as HydroModelError).rejected).toBe(true);
      expect((error as HydroModelError).reason).toMatch(/no table with ref 0/);
    }
  });
});
