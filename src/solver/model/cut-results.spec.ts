import { describe, expect, it } from '@jest/globals';
import { HighsProvider } from '../providers/highs.provider.js';
import { optimizeWith, withAddOns } from '../../../test/support/solver-runs.js';

type Output = { objectName: string; attribute: string; value: unknown };
const series = (outputs: Output[], name: string, attribute: string) =>
  (outputs.find((o) => o.objectName === name && o.attribute === attribute)!.value as { values: number[][] }).values[0];
type Tables = Array<{ ref: number; x: number[]; y: number[] }>;

describe('cuts count the water in transit (modelling-2.md §5)', () => {
  it('with Plant1 delayed by 2 h, the future income is the lowest cut at V_T plus the water still travelling', async () => {
    const model = withAddOns('cuts_model.yaml', 'standard_cuts.yaml');
    (model.model.plant!.Plant1 as Record<string, unknown>).time_delay = 2;
    const { outcome } = await optimizeWith(new HighsProvider(), model, ['set time_delay_unit hour', 'start sim 3']);
    const outputs = outcome.outputs as Output[];
    const discharge = series(outputs, 'Plant1', 'discharge');
    // Released in the last two hours, not yet in Reservoir2 (hourly steps: 0.0036 Mm3 per m3/s).
    const transit = (discharge.at(-1)! + discharge.at(-2)!) * 0.0036;
    expect(transit).toBeGreaterThan(0);
    const end = ['Reservoir1', 'Reservoir2'].map((r) => series(outputs, r, 'storage').at(-1)!);
    end[1] += transit;
    const rhs = (model.model.cut_group!.my_cuts.rhs as Tables)[0].y;
    const tables = ['Reservoir1', 'Reservoir2'].map((r) => (model.model.reservoir![r].water_value_input as Tables)[0]);
    const cuts = rhs.map((k, i) => tables.reduce((sum, t, r) => sum + t.y[i] * (end[r] - t.x[i]), k));
    const c = -series(outputs, 'my_cuts', 'end_value').at(-1)!;
    expect(Math.abs(c - Math.min(...cuts))).toBeLessThanOrEqual(1e-6 * Math.abs(c));
    expect(series(outputs, 'my_cuts', 'binding_cut_up').at(-1)).toBe(cuts.indexOf(Math.min(...cuts)));
    // Valued once: by the cuts, not also as value of water in transit.
    expect(outcome.objective!.vow_in_transit).toBe(0);
  }, 120_000);
});
