import { addArrival, addRelease, type ConstraintFamily, type ProblemContext } from './constraint-family.js';
import { MM3_PER_M3S_HOUR } from '../../physics/reservoir.js';

/**
 * Each gate's discharge at every step (m3/s, up to `max_discharge`; spill and bypass cost a
 * little per Mm3 so that water is not wasted), leaving its upstream reservoir and arriving
 * `time_delay` steps later downstream. A reservoir's overflow flows on the way of its spill
 * gate, as in SHOP.
 */
export const gates: ConstraintFamily = {
  name: 'gates',
  add(ctx: ProblemContext) {
    const { lp, system, input, steps } = ctx;
    const discharge = system.gates.map((gate) =>
      steps.map((t) => {
        const cost = gate.kind === 'spill' ? input.spillCost : gate.kind === 'bypass' ? input.bypassCost : 0;
        const volume = MM3_PER_M3S_HOUR * system.steps[t].hours;
        return lp.addColumn(`gate.${gate.name}.discharge[${t}]`, 0, gate.maxDischarge ?? Infinity, cost * volume);
      }),
    );
    ctx.index.gateDischarge = discharge;
    system.gates.forEach((gate, i) =>
      steps.forEach((t) => {
        addRelease(ctx, gate.from, t, discharge[i][t]);
        addArrival(ctx, gate.to, t, gate.timeDelay, (s) => discharge[i][s]);
      }),
    );
    addOverflowPaths(ctx);
  },
};

/** Overflow of an upstream reservoir arrives (at once) where its spill gate leads. */
function addOverflowPaths(ctx: ProblemContext): void {
  const { system, steps } = ctx;
  const reservoirIndex = new Map(system.reservoirs.map((r, i) => [r.name, i]));
  system.gates.forEach((gate) => {
    if (gate.kind !== 'spill' || gate.upstream === undefined) return;
    const upstream = reservoirIndex.get(gate.upstream);
    if (upstream === undefined) return;
    steps.forEach((t) => addArrival(ctx, gate.to, t, 0, () => ctx.index.overflow[upstream][t]));
  });
}
