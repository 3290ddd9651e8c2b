/**
 * One iteration's optimization problem (modelling.md): storage, plant, generator, gate and
 * market variables per step; water balance and market balance rows; the objective of
 * market sale/buy, start costs and the end value of water. Non-linear physics enters as
 * each generator's piecewise-linear power curve at each step (computed elsewhere, at that
 * step's head), so this builder is linear and pure.
 */
import type { LinearProgram } from '../optimization-provider.js';
import { problemContext } from './families/constraint-family.js';
import { CONSTRAINT_FAMILIES } from './families/index.js';
import type { ColumnIndex, HeadTerm, IterationInput } from './iteration-input.js';
import { LpBuilder } from './lp-builder.js';

import { MM3_PER_M3S_HOUR } from '../physics/reservoir.js';

export { MM3_PER_M3S_HOUR };
export type { ColumnIndex, HeadTerm, IterationInput, StorageLimit, UnitCurve } from './iteration-input.js';

export interface IterationProblem {
  lp: LinearProgram;
  index: ColumnIndex;
  builder: LpBuilder;
}

export function buildIterationProblem(input: IterationInput): IterationProblem {
  const { system } = input;
  const T = system.steps.length;
  const lp = new LpBuilder();
  const reservoirIndex = new Map(system.reservoirs.map((r, i) => [r.name, i]));
  const steps = [...Array(T).keys()];

  const ctx = problemContext(input, lp);
  for (const family of CONSTRAINT_FAMILIES) family.add(ctx);
  const { storage, overflow } = ctx.index;

  const unitDischarge: number[][][] = [];
  const unitPower: number[][][] = [];
  const unitOn: Array<Array<Array<number | undefined>>> = [];
  const startups: Array<Array<Array<number | undefined>>> = [];
  system.plants.forEach((plant, p) => {
    unitDischarge.push([]);
    unitPower.push([]);
    unitOn.push([]);
    startups.push([]);
    plant.generators.forEach((generator, g) => {
      const name = `generator.${generator.name}`;
      const q: number[] = [];
      const power: number[] = [];
      const onColumns: Array<number | undefined> = [];
      const starts: Array<number | undefined> = [];
      for (const t of steps) {
        const curve = input.curves[p][g][t];
        const fixed = input.fixedCommitment?.[p]?.[g]?.[t];
        const decide = input.binaries[p][t] && fixed === undefined;
        const qCol = lp.addColumn(`${name}.discharge[${t}]`, 0, Infinity);
        const pCol = lp.addColumn(`${name}.solver_production[${t}]`, 0, Infinity);
        // Without an on/off decision the unit is on (u = 1, or the fixed commitment), and the
        // segments' own bounds say all that x_k <= length_k·u would.
        const on = decide ? 1 : (fixed ?? 1);
        const xs = curve.segments.map((segment, k) =>
          lp.addColumn(`${name}.segment${k}[${t}]`, 0, decide ? segment.length : on * segment.length),
        );
        let u: number | undefined;
        if (decide) {
          u = lp.addColumn(`${name}.on[${t}]`, 0, 1, 0, true);
          curve.segments.forEach((segment, k) =>
            lp.addRow(`${name}.segment${k}_on[${t}]`, -Infinity, 0, [
              [xs[k], 1],
              [u!, -segment.length],
            ]),
          );
        }
        const dischargeTerms: Array<[number, number]> = [[qCol, 1]];
        const productionTerms: Array<[number, number]> = [[pCol, 1]];
        if (u !== undefined) {
          dischargeTerms.push([u, -curve.qMin]);
          productionTerms.push([u, -curve.pAtQmin]);
        }
        xs.forEach((x, k) => {
          dischargeTerms.push([x, -1]);
          productionTerms.push([x, -curve.segments[k].slope]);
        });
        const qRhs = u === undefined ? on * curve.qMin : 0;
        const pRhs = u === undefined ? on * curve.pAtQmin : 0;
        lp.addRow(`${name}.discharge_curve[${t}]`, qRhs, qRhs, dischargeTerms);
        lp.addRow(`${name}.production_curve[${t}]`, pRhs, pRhs, productionTerms);
        q.push(qCol);
        power.push(pCol);
        onColumns.push(u);
        if (decide) {
          // start[t] >= on[t] - on[t-1]; the first step is free without an initial state.
          const s = lp.addColumn(`${name}.startup[${t}]`, 0, 1, generator.startcost[t]);
          const previous = t > 0 ? onColumns[t - 1] : undefined;
          const initial = t === 0 ? generator.initialState : undefined;
          if (previous !== undefined) {
            lp.addRow(`${name}.startup_def[${t}]`, 0, Infinity, [
              [s, 1],
              [u!, -1],
              [previous, 1],
            ]);
          } else if (initial !== undefined) {
            lp.addRow(`${name}.startup_def[${t}]`, -initial, Infinity, [
              [s, 1],
              [u!, -1],
            ]);
          }
          starts.push(s);
        } else starts.push(undefined);
      }
      unitDischarge[p].push(q);
      unitPower[p].push(power);
      unitOn[p].push(onColumns);
      startups[p].push(starts);
    });
  });

  const gateDischarge = system.gates.map((gate) =>
    steps.map((t) => {
      const cost = gate.kind === 'spill' ? input.spillCost : gate.kind === 'bypass' ? input.bypassCost : 0;
      const volume = MM3_PER_M3S_HOUR * system.steps[t].hours;
      return lp.addColumn(`gate.${gate.name}.discharge[${t}]`, 0, gate.maxDischarge ?? Infinity, cost * volume);
    }),
  );

  const sale = system.markets.map((m) =>
    steps.map((t) =>
      lp.addColumn(`market.${m.name}.sale[${t}]`, 0, m.maxSale[t], -m.salePrice[t] * system.steps[t].hours),
    ),
  );
  const buy = system.markets.map((m) =>
    steps.map((t) => lp.addColumn(`market.${m.name}.buy[${t}]`, 0, m.maxBuy[t], m.buyPrice[t] * system.steps[t].hours)),
  );

  // Water balance: V[t] - V[t-1] - k·(arrivals - releases) = k·inflow, k = 0.0036·Δt.
  system.reservoirs.forEach((reservoir, r) => {
    for (const t of steps) {
      const k = MM3_PER_M3S_HOUR * system.steps[t].hours;
      const terms: Array<[number, number]> = [[storage[r][t], 1]];
      if (t > 0) terms.push([storage[r][t - 1], -1]);
      terms.push([overflow[r][t], k]);
      const arriving = (delay: number, column: (t: number) => number) => {
        const source = t - delay;
        if (source >= 0) terms.push([column(source), -k]);
      };
      system.plants.forEach((plant, p) => {
        plant.generators.forEach((_, g) => {
          if (plant.upstream === reservoir.name) terms.push([unitDischarge[p][g][t], k]);
          if (plant.downstream === reservoir.name) arriving(plant.timeDelay, (s) => unitDischarge[p][g][s]);
        });
      });
      system.gates.forEach((gate, i) => {
        if (gate.upstream === reservoir.name) terms.push([gateDischarge[i][t], k]);
        if (gate.downstream === reservoir.name) arriving(gate.timeDelay, (s) => gateDischarge[i][s]);
      });
      // Overflow of an upstream reservoir flows on: SHOP sends it the way of its spill gate.
      system.gates.forEach((gate) => {
        if (gate.downstream === reservoir.name && gate.kind === 'spill' && gate.upstream !== undefined) {
          const upstream = reservoirIndex.get(gate.upstream);
          if (upstream !== undefined) terms.push([overflow[upstream][t], -k]);
        }
      });
      const start = t === 0 ? input.startVolumes[r] : 0;
      const rhs = k * reservoir.inflow[t] + start;
      lp.addRow(`reservoir.${reservoir.name}.balance[${t}]`, rhs, rhs, terms);
    }
  });

  // V[t] + below >= min, V[t] - above <= max.
  const limitViolation = (input.storageLimits ?? []).map((limit) => {
    const name = `reservoir.${system.reservoirs[limit.reservoir].name}.${limit.attribute}`;
    const terms: Array<[number, number]> = [[storage[limit.reservoir][limit.step], 1]];
    const violation =
      limit.penalty === undefined
        ? undefined
        : lp.addColumn(`${name}_violation[${limit.step}]`, 0, Infinity, limit.penalty);
    if (violation !== undefined) terms.push([violation, limit.kind === 'min' ? 1 : -1]);
    if (limit.kind === 'min') lp.addRow(`${name}[${limit.step}]`, limit.volume, Infinity, terms);
    else lp.addRow(`${name}[${limit.step}]`, -Infinity, limit.volume, terms);
    return violation;
  });

  // Market balance: Σ production + head terms - Σ sale + Σ buy (+ load not met) = Σ load.
  const headTermsAt = steps.map((): HeadTerm[] => []);
  for (const term of input.headTerms ?? []) if (term.step >= 1 && term.step < T) headTermsAt[term.step].push(term);
  const loadShortfall: Array<number | undefined> = steps.map(() => undefined);
  if (system.markets.length) {
    for (const t of steps) {
      const terms: Array<[number, number]> = [];
      unitPower.forEach((plant) => plant.forEach((generator) => terms.push([generator[t], 1])));
      sale.forEach((columns) => terms.push([columns[t], -1]));
      buy.forEach((columns) => terms.push([columns[t], 1]));
      const marketLoad = system.markets.reduce((sum, m) => sum + m.load[t], 0);
      let load = marketLoad;
      for (const term of headTermsAt[t]) {
        terms.push([storage[term.reservoir][t - 1], term.coefficient]);
        load += term.coefficient * term.reference;
      }
      if (input.loadPenalty !== undefined && marketLoad > 0) {
        loadShortfall[t] = lp.addColumn(
          `market.load_penalty[${t}]`,
          0,
          Infinity,
          input.loadPenalty * system.steps[t].hours,
        );
        terms.push([loadShortfall[t]!, 1]);
      }
      lp.addRow(`market.balance[${t}]`, load, load, terms);
    }
  }

  // End value of the water left: - Σ WV_r · V_r[T].
  system.reservoirs.forEach((_, r) => lp.addCost(storage[r][T - 1], -input.waterValues[r]));

  return {
    lp: lp.build('min'),
    index: {
      storage,
      overflow,
      unitDischarge,
      unitPower,
      unitOn,
      gateDischarge,
      sale,
      buy,
      startups,
      limitViolation,
      loadShortfall,
    },
    builder: lp,
  };
}
