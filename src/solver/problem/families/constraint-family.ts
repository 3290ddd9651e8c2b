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
import type { HydroSystem, WaterRef } from '../hydro-system.js';
import type { ColumnIndex, IterationInput } from '../iteration-input.js';
import type { LpBuilder } from '../lp-builder.js';
import { MM3_PER_M3S_HOUR } from '../../physics/reservoir.js';

export type Terms = Array<[column: number, coefficient: number]>;

/**
 * The terms of rows that several families add to (the water and power balances), by row key,
 * in the order they were added. Flat, in typed arrays (a linked list per row): a problem has
 * tens of thousands of such terms, and a `[column, coefficient]` pair each would be as many
 * objects to collect.
 */
export class SharedRows {
  private readonly first: Int32Array;
  private readonly last: Int32Array;
  private next = new Int32Array(1024);
  private column = new Int32Array(1024);
  private value = new Float64Array(1024);
  private size = 0;

  constructor(rows: number) {
    this.first = new Int32Array(rows).fill(-1);
    this.last = new Int32Array(rows).fill(-1);
  }

  add(row: number, column: number, coefficient: number): void {
    const k = this.size;
    if (k === this.next.length) this.grow();
    this.next[k] = -1;
    this.column[k] = column;
    this.value[k] = coefficient;
    if (this.last[row] < 0) this.first[row] = k;
    else this.next[this.last[row]] = k;
    this.last[row] = k;
    this.size = k + 1;
  }

  /** Writes row `row`'s terms into the builder's last row (`LpBuilder.row`). */
  writeTo(lp: LpBuilder, row: number): void {
    for (let k = this.first[row]; k >= 0; k = this.next[k]) lp.term(this.column[k], this.value[k]);
  }

  private grow(): void {
    const size = this.next.length * 2;
    const next = new Int32Array(size);
    const column = new Int32Array(size);
    const value = new Float64Array(size);
    next.set(this.next);
    column.set(this.column);
    value.set(this.value);
    this.next = next;
    this.column = column;
    this.value = value;
  }
}

/** The power balances, one row per step: Σ terms = load. */
export interface PowerBalance {
  /** By step. */
  terms: SharedRows;
  /** MW by step: the markets' load, moved by the head terms' constants. */
  load: number[];
}

export interface ProblemContext {
  readonly lp: LpBuilder;
  readonly input: IterationInput;
  readonly system: HydroSystem;
  /** 0 .. T-1 */
  readonly steps: readonly number[];
  /** Filled in by the families as they add their columns. */
  readonly index: ColumnIndex;
  /** The terms of the water balance rows, by `waterRow(ctx, reservoir, t)` (reservoir-balance writes them). */
  readonly waterBalance: SharedRows;
  /** The power balance rows, by step (market-balance writes them, when there are markets). */
  readonly powerBalance: PowerBalance;
  /**
   * The flow balances of the water objects without storage (rivers, tunnel nodes, ...), by
   * `waterKey`: the family that owns the object creates it (`waterNode`) and adds its own terms;
   * the others add the flows they send into it or take out of it; node-balance writes the rows.
   */
  readonly nodes: Map<string, WaterNode>;
  /**
   * [reservoir]: the water still travelling to it at the end (Mm3 terms of the release columns),
   * which the families with delays add; cuts count it in the reservoir's end volume (§5).
   */
  readonly transit: Terms[];
}

/** One water object's flow balance per step, in m3/s: `Σ terms[t] = rhs[t]`, flows in positive. */
export interface WaterNode {
  ref: WaterRef;
  /** Set by the family that models the object; flows into an object nobody models leave the system. */
  modelled: boolean;
  terms: Terms[];
  rhs: number[];
}

export const waterKey = (ref: WaterRef) => `${ref.type}.${ref.name}`;

/**
 * The flow balance of a water object without storage, created empty on first use; `modelled`
 * when the family that models the object asks for it.
 */
export function waterNode(ctx: ProblemContext, ref: WaterRef, modelled = false): WaterNode {
  const key = waterKey(ref);
  let node = ctx.nodes.get(key);
  if (!node) {
    node = { ref, modelled, terms: ctx.steps.map((): Terms => []), rhs: ctx.steps.map(() => 0) };
    ctx.nodes.set(key, node);
  }
  node.modelled ||= modelled;
  return node;
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
    waterBalance: new SharedRows(system.reservoirs.length * steps.length),
    powerBalance: { terms: new SharedRows(steps.length), load: steps.map(() => 0) },
    nodes: new Map(),
    transit: system.reservoirs.map((): Terms => []),
  };
}

/** The key of reservoir r's water balance at step t in `ctx.waterBalance`. */
export function waterRow(ctx: ProblemContext, r: number, t: number): number {
  return r * ctx.steps.length + t;
}

/** Mm3 per m3/s over step t. */
export function volumePerFlow(ctx: ProblemContext, t: number): number {
  return MM3_PER_M3S_HOUR * ctx.system.steps[t].hours;
}

/**
 * Adds `coefficient · column` (m3/s) flowing into the water object `to` at step t: to a
 * reservoir's water balance (in Mm3 over the step) or a node's flow balance. Nothing for
 * undefined (out of the system).
 */
export function addFlow(
  ctx: ProblemContext,
  to: WaterRef | undefined,
  t: number,
  column: number,
  coefficient = 1,
): void {
  if (!to) return;
  if (to.type === 'reservoir') {
    const reservoirs = ctx.system.reservoirs;
    for (let r = 0; r < reservoirs.length; r++) {
      if (reservoirs[r].name === to.name) {
        ctx.waterBalance.add(waterRow(ctx, r, t), column, -coefficient * volumePerFlow(ctx, t));
      }
    }
  } else {
    waterNode(ctx, to).terms[t].push([column, coefficient]);
  }
}

/** Water leaving `from` (a reservoir or node) through `column` (m3/s) at step t. */
export function addRelease(ctx: ProblemContext, from: WaterRef | undefined, t: number, column: number): void {
  addFlow(ctx, from, t, column, -1);
}

/**
 * Water arriving at `to` at step t through `column(step)` (m3/s): released `delay` whole steps
 * earlier (nothing before the first step), or, given shares `[[source step, α], ...]`, the
 * volume share α of each source step's release (delay.ts), as the mean flow over step t:
 * `α·column(s)·Δt_s/Δt_t`.
 */
export function addArrival(
  ctx: ProblemContext,
  to: WaterRef | undefined,
  t: number,
  delay: number | ReadonlyArray<readonly [source: number, share: number]>,
  column: (step: number) => number,
): void {
  if (typeof delay === 'number') {
    const source = t - delay;
    if (source >= 0) addFlow(ctx, to, t, column(source));
    return;
  }
  const hours = ctx.system.steps;
  for (const [source, share] of delay) {
    const coefficient = source === t ? share : (share * hours[source].hours) / hours[t].hours;
    addFlow(ctx, to, t, column(source), coefficient);
  }
}

/** Records `share` of `column`'s release (m3/s over step s) as still travelling to `to` at the end. */
export function addTransit(
  ctx: ProblemContext,
  to: WaterRef | undefined,
  s: number,
  column: number,
  share: number,
): void {
  if (to?.type !== 'reservoir' || !(share > 0)) return;
  const r = ctx.system.reservoirs.findIndex((reservoir) => reservoir.name === to.name);
  if (r >= 0) ctx.transit[r].push([column, share * volumePerFlow(ctx, s)]);
}
