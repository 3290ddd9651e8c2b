/**
 * One iteration's optimization problem (modelling.md): storage, plant, generator, gate and
 * market variables per step; water balance and market balance rows; the objective of
 * market sale/buy, start costs and the end value of water. Non-linear physics enters as
 * each generator's piecewise-linear power curve at each step (computed elsewhere, at that
 * step's head), so this builder is linear and pure. Each constraint family (families/) adds
 * its own columns and rows, in the order of `CONSTRAINT_FAMILIES`.
 */
import type { LinearProgram } from '../providers/optimization-provider.js';
import { problemContext } from './families/constraint-family.js';
import { CONSTRAINT_FAMILIES } from './families/index.js';
import type { ColumnIndex, IterationInput } from './iteration-input.js';
import { LpBuilder } from './lp-builder.js';

import { MM3_PER_M3S_HOUR } from '../physics/reservoir.js';

export { MM3_PER_M3S_HOUR };
export type { ColumnIndex, HeadTerm, IterationInput, StorageLimit, UnitCurve } from './iteration-input.js';

export interface IterationProblem {
  lp: LinearProgram;
  index: ColumnIndex;
}

/** `lp`: a builder to reuse (a run's previous iteration's), so that its arrays and names are. */
export function buildIterationProblem(input: IterationInput, lp = new LpBuilder()): IterationProblem {
  lp.reset();
  const ctx = problemContext(input, lp);
  for (const family of CONSTRAINT_FAMILIES) family.add(ctx);
  return { lp: lp.build('min'), index: ctx.index };
}
