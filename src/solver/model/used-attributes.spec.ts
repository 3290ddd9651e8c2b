import { describe, expect, it } from '@jest/globals';
import type { ShopModelJson } from '../../shop/shop-json.js';
import { warnAboutUnused } from './used-attributes.js';

const warningsOf = (model: ShopModelJson['model']) => {
  const warnings: string[] = [];
  warnAboutUnused({ model } as ShopModelJson, (level, message) => level === 'WARNING' && warnings.push(message));
  return warnings;
};

describe('warnAboutUnused', () => {
  it('names a continuous tunnel gate’s adjustment cost, which Tarn charges for discrete gates only', () => {
    const gate = { loss_factor: 0.001, gate_opening_curve: { ref: 0, x: [0, 1], y: [0, 1] }, gate_adjustment_cost: 5 };
    expect(
      warningsOf({ tunnel: { T1: { ...gate, continuous_gate: 1 }, T2: { ...gate, continuous_gate: 0 } } }),
    ).toEqual([
      "tunnel T1: gate_adjustment_cost not used by Tarn's optimization (charged for discrete gates only; a continuous gate’s opening is not an LP variable)",
    ]);
  });

  it('says nothing of the reserve groups, obligations, unit limits and discrete droops it models', () => {
    expect(
      warningsOf({
        reserve_group: { G: { fcr_n_up_obligation: 10, frr_penalty_cost: 5 } },
        generator: {
          U: {
            p_max: 100,
            fcr_n_up_min: 1,
            frr_up_cost: 2,
            p_fcr_max: 90,
            droop_min: 2,
            discrete_droop_values: [3, 6],
          },
        },
      }),
    ).toEqual([]);
  });

  it('says nothing of what it models', () => {
    expect(warningsOf({ tunnel: { T1: { loss_factor: 0.001, weir_width: 4, start_height: 80 } } })).toEqual([]);
  });
});
