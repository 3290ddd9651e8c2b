import {
  addArrival,
  addRelease,
  addTransit,
  type ConstraintFamily,
  type ProblemContext,
  volumePerFlow,
} from './constraint-family.js';
import type { DelayMatrix } from '../../physics/delay.js';
import { twoWay } from './gate-functions.js';
import type { WaterRef } from '../hydro-system.js';
import { MM3_PER_M3S_HOUR } from '../../physics/reservoir.js';

/**
 * Each gate's discharge at every step (m3/s, up to `max_discharge`; bypass costs a little per
 * Mm3 so that water is not wasted), leaving its upstream object and arriving downstream after
 * its delay (run-setup: time_delay or shape_discharge, by the overlap rule). A reservoir's spill
 * gate carries the reservoir's overflow (reservoirs.ts, overflow.ts): its discharge is the
 * overflow column, at the overflow cost.
 */
export const gates: ConstraintFamily = {
  name: 'gates',
  add(ctx: ProblemContext) {
    const { lp, system, input, steps } = ctx;
    const spillGates = spillGateOf(ctx);
    const discharge = system.gates.map((gate, i) => {
      const r = spillGates.get(i);
      if (r !== undefined) return ctx.index.overflow[r];
      // A spill_cost_curve replaces the spill cost (gate-functions.ts).
      const spill = gate.functions?.spillCostCurve ? 0 : input.spillCost;
      const cost = gate.kind === 'spill' ? spill : gate.kind === 'bypass' ? input.bypassCost : 0;
      const lower = twoWay(gate) ? -Infinity : 0;
      const name = `gate.${gate.name}.discharge`;
      return steps.map((t) => {
        const volume = MM3_PER_M3S_HOUR * system.steps[t].hours;
        return lp.column(name, t, lower, gate.maxDischarge ?? Infinity, cost * volume);
      });
    });
    ctx.index.gateDischarge = discharge;
    system.gates.forEach((gate, i) => {
      const overflow = spillGates.has(i);
      const name = `gate.${gate.name}.max_discharge`;
      steps.forEach((t) => {
        // The overflow already leaves the reservoir's balance (reservoirs.ts).
        if (!overflow) addRelease(ctx, gate.from, t, discharge[i][t]);
        else if (gate.maxDischarge !== undefined) {
          lp.row(name, t, -Infinity, gate.maxDischarge);
          lp.term(discharge[i][t], 1);
        }
      });
      addDelayed(ctx, gate.to, gate.timeDelay, gate.delay, (s) => discharge[i][s], input.transitValues?.gates[i]);
    });
  },
};

/**
 * Gate index -> the reservoir whose overflow it carries: the first spill gate (reservoir →
 * gate, connection_spill) of each reservoir.
 */
export function spillGateOf(ctx: Pick<ProblemContext, 'system'>): Map<number, number> {
  const { system } = ctx;
  const byGate = new Map<number, number>();
  const taken = new Set<number>();
  system.gates.forEach((gate, i) => {
    if (gate.kind !== 'spill' || gate.upstream === undefined) return;
    const r = system.reservoirs.findIndex((reservoir) => reservoir.name === gate.upstream);
    if (r < 0 || taken.has(r)) return;
    taken.add(r);
    byGate.set(i, r);
  });
  return byGate;
}

/**
 * Arrivals of a release downstream at every step: after `delay` (shares by the overlap rule)
 * or `steps` whole steps; the water still travelling at the end is valued at `values` (currency
 * per Mm3 of each source step), a negative cost.
 */
export function addDelayed(
  ctx: ProblemContext,
  to: WaterRef | undefined,
  steps: number,
  delay: DelayMatrix | undefined,
  column: (step: number) => number,
  values: number[] | undefined,
): void {
  for (const t of ctx.steps) addArrival(ctx, to, t, delay ? delay.byTarget[t] : steps, column);
  if (!delay) return;
  delay.transit.forEach((share, s) => addTransit(ctx, to, s, column(s), share));
  if (!values) return;
  delay.transit.forEach((share, s) => {
    if (share > 0 && values[s]) ctx.lp.addCost(column(s), -values[s] * share * volumePerFlow(ctx, s));
  });
}
