/**
 * Reservoir levels as linear expressions in the storage columns, around the previous
 * iteration's trajectory (the start volumes in iteration 1), for flows that a level sets
 * (rivers' up_head_flow_curve and width_depth_curve, gates' functions_meter_m3s and
 * functions_deltameter_m3s): `flow = f(x⁰) + f'(x⁰)·(x − x⁰)` with x a step-average level or a
 * difference of two (modelling-2.md §3.2, §3.4).
 */
import type { FlowPoint } from '../../physics/flow-functions.js';
import { dLevelDVolume, levelFromVolume } from '../../physics/reservoir.js';
import type { ProblemContext, Terms } from './constraint-family.js';

/** `value ≈ constant + Σ coefficient·column`, equal to `at` at the previous iteration's solution. */
export interface LinearExpression {
  at: number;
  constant: number;
  terms: Terms;
}

/** The storage of reservoir r after step s at the previous iteration (s = −1: the start). */
function previousVolume(ctx: Pick<ProblemContext, 'input'>, r: number, s: number): number {
  const { input } = ctx;
  if (s < 0) return input.startVolumes[r];
  return input.previousStorage?.[r][s] ?? input.startVolumes[r];
}

/** The step-average level of reservoir r at the previous iteration (the start level in iteration 1). */
export function previousAverageLevel(ctx: Pick<ProblemContext, 'system' | 'input'>, r: number, t: number): number {
  const volHead = ctx.system.reservoirs[r].volHead;
  return (
    (levelFromVolume(volHead, previousVolume(ctx, r, t - 1)) + levelFromVolume(volHead, previousVolume(ctx, r, t))) / 2
  );
}

/**
 * The step-average level of reservoir r over step t, linearised:
 * `L ≈ L⁰ + ½·(h'(V⁰_{t−1})·(V_{t−1} − V⁰_{t−1}) + h'(V⁰_t)·(V_t − V⁰_t))` (V_{−1} is the fixed start).
 */
export function averageLevel(
  ctx: Pick<ProblemContext, 'system' | 'input' | 'index'>,
  r: number,
  t: number,
): LinearExpression {
  const volHead = ctx.system.reservoirs[r].volHead;
  const at = previousAverageLevel(ctx, r, t);
  const before = previousVolume(ctx, r, t - 1);
  const after = previousVolume(ctx, r, t);
  const kBefore = dLevelDVolume(volHead, before) / 2;
  const kAfter = dLevelDVolume(volHead, after) / 2;
  let constant = at - kBefore * before - kAfter * after;
  const terms: Terms = [[ctx.index.storage[r][t], kAfter]];
  if (t > 0) terms.push([ctx.index.storage[r][t - 1], kBefore]);
  else constant += kBefore * ctx.input.startVolumes[r];
  return { at, constant, terms };
}

/** a − b */
export function difference(a: LinearExpression, b: LinearExpression): LinearExpression {
  return {
    at: a.at - b.at,
    constant: a.constant - b.constant,
    terms: [...a.terms, ...b.terms.map(([c, k]): [number, number] => [c, -k])],
  };
}

/**
 * The terms and right-hand side of `flow = f(x⁰) + f'(x⁰)·(x − x⁰)`, written as
 * `flowTerms − f'·Σ terms(x) = rhs`.
 */
export function linearisedFlow(flowTerms: Terms, point: FlowPoint, x: LinearExpression): { terms: Terms; rhs: number } {
  const terms: Terms = [...flowTerms];
  if (point.slope !== 0) for (const [column, k] of x.terms) terms.push([column, -point.slope * k]);
  return { terms, rhs: point.flow + point.slope * (x.constant - x.at) };
}
