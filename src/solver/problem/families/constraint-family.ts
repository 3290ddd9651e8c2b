/**
 * The shared interface of the constraint families (reservoirs, plants and units, gates,
 * markets, ...) that make up one iteration's problem. A family adds its own columns and rows
 * to `ctx.lp`, records its columns in `ctx.index`, and adds its terms to the rows that several
 * families share: each reservoir's water balance and each step's power (market) balance, which
 * the reservoir-balance and market-balance families then write. A new object type is a new
 * family plus its place in `CONSTRAINT_FAMILIES` (families/index.ts).
 *
 * Families run in the order of that list, each once; that order is the order of the LP's
 * columns and rows, and of the terms in the shared rows.
 */
import type { HydroSystem } from '../hydro-system.js';
import type { ColumnIndex, IterationInput } from '../iteration-input.js';
import type { LpBuilder } from '../lp-builder.js';
import { MM3_PER_M3S_HOUR } from '../../physics/reservoir.js';

export type Terms = Array<[column: number, coefficient: number]>;

/** One step's power balance: Σ terms = load. */
export interface PowerBalance {
  terms: Terms;
  /** MW: the markets' load, moved by the head terms' constants. */
  load: number;
}

export interface ProblemContext {
  readonly lp: LpBuilder;
  readonly input: IterationInput;
  readonly system: HydroSystem;
  /** 0 .. T-1 */
  readonly steps: readonly number[];
  /** Filled in by the families as they add their columns. */
  readonly index: ColumnIndex;
  /** [reservoir][t]: the terms of the water balance rows (reservoir-balance writes them). */
  readonly waterBalance: Terms[][];
  /** [t]: the power balance rows (market-balance writes them, when there are markets). */
  readonly powerBalance: PowerBalance[];
}

export interface ConstraintFamily {
  /** For readers and error messages: what the family models. */
  readonly name: string;
  /** Adds the family's columns, rows and shared-row terms. */
  add(ctx: ProblemContext): void;
}

export function problemContext(input: IterationInput, lp: LpBuilder): ProblemContext {
  const { system } = input;
  const steps = [...Array(system.steps.length).keys()];
  return {
    lp,
    input,
    system,
    steps,
    index: {
      storage: [],
      overflow: [],
      unitDischarge: [],
      unitPower: [],
      unitOn: [],
      gateDischarge: [],
      sale: [],
      buy: [],
      startups: [],
      limitViolation: [],
      loadShortfall: steps.map(() => undefined),
    },
    waterBalance: system.reservoirs.map(() => steps.map((): Terms => [])),
    powerBalance: steps.map((): PowerBalance => ({ terms: [], load: 0 })),
  };
}

/** Mm3 per m3/s over step t. */
export function volumePerFlow(ctx: ProblemContext, t: number): number {
  return MM3_PER_M3S_HOUR * ctx.system.steps[t].hours;
}

/** Water leaving the reservoir named `reservoir` through `column` (m3/s) at step t. */
export function addRelease(ctx: ProblemContext, reservoir: string | undefined, t: number, column: number): void {
  ctx.system.reservoirs.forEach(({ name }, r) => {
    if (name === reservoir) ctx.waterBalance[r][t].push([column, volumePerFlow(ctx, t)]);
  });
}

/**
 * Water arriving at the reservoir named `reservoir` at step t, released `delay` steps earlier
 * through `column(step)` (m3/s); nothing before the first step.
 */
export function addArrival(
  ctx: ProblemContext,
  reservoir: string | undefined,
  t: number,
  delay: number,
  column: (step: number) => number,
): void {
  ctx.system.reservoirs.forEach(({ name }, r) => {
    const source = t - delay;
    if (name === reservoir && source >= 0) ctx.waterBalance[r][t].push([column(source), -volumePerFlow(ctx, t)]);
  });
}
