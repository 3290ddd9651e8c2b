/**
 * Reservoir overflow by `flow_descr` (modelling-2.md §3.1): the overflow at step t is at least
 * the flow over the crest at the end-of-step level, `o_t >= f(level(V_t))`, as rows of the
 * convex hull of `flow_descr ∘ vol_head` in V (physics/reservoir.ts). Spilling more is allowed
 * at the overflow cost, or, where `overflow_mip_flag` is 1 or after `set universal_overflow_mip
 * /on`, only when the reservoir is full (a binary per step: `o_t <= M·z_t`, `V_t >= V_full·z_t`).
 */
import { forcedSpillLines, overflowAtVolume, volumeFromLevel } from '../../physics/reservoir.js';
import type { ReservoirData } from '../hydro-system.js';
import type { ConstraintFamily, ProblemContext } from './constraint-family.js';

/** Mm3: the storage column's upper bound: the top of vol_head with flow_descr (storage may pass max_vol), else max_vol. */
export function storageTop(reservoir: ReservoirData): number {
  if (!reservoir.flowDescr) return reservoir.maxVol;
  const top = reservoir.volHead.x[reservoir.volHead.x.length - 1];
  return Math.max(reservoir.maxVol, top);
}

/** Mm3 where the reservoir is full: the crest of flow_descr (its first level), else max_vol. */
export function fullVolume(reservoir: ReservoirData): number {
  const crest = reservoir.flowDescr?.x[0];
  if (crest === undefined) return reservoir.maxVol;
  return Math.min(storageTop(reservoir), Math.max(0, volumeFromLevel(reservoir.volHead, crest)));
}

/** The forced-overflow rows (and overflow binaries), after every other family's rows. */
export const overflow: ConstraintFamily = {
  name: 'forced overflow',
  add: (ctx) => overflowRows(ctx),
};

export function overflowRows(ctx: ProblemContext): void {
  const { lp, system, steps, index, input } = ctx;
  const universal =
    input.universalOverflowMip ??
    (system.globalSettings.universalOverflowMip === 1
      ? true
      : system.globalSettings.universalOverflowMip === 0
        ? false
        : undefined);
  system.reservoirs.forEach((reservoir, r) => {
    const top = storageTop(reservoir);
    const lines = forcedSpillLines(reservoir.volHead, reservoir.flowDescr, top);
    const name = `reservoir.${reservoir.name}`;
    const lineNames = lines.map((_, k) => `${name}.flow_descr${k}`);
    for (const t of steps) {
      lines.forEach((line, k) => {
        lp.row(lineNames[k], t, line.intercept, Infinity);
        lp.term(index.overflow[r][t], 1);
        lp.term(index.storage[r][t], -line.slope);
      });
      const binary = universal ?? reservoir.overflowMipFlag?.[t] === 1;
      if (!binary) continue;
      const full = fullVolume(reservoir);
      const atTop = overflowAtVolume({ vol_head: reservoir.volHead, flow_descr: reservoir.flowDescr }, top);
      const bigM = Math.max(2 * atTop, 10_000);
      const z = lp.addColumn(`${name}.overflow_on[${t}]`, 0, 1, 0, true);
      lp.addRow(`${name}.overflow_only_when_full[${t}]`, -Infinity, 0, [
        [index.overflow[r][t], 1],
        [z, -bigM],
      ]);
      lp.addRow(`${name}.full_when_overflowing[${t}]`, 0, Infinity, [
        [index.storage[r][t], 1],
        [z, -full],
      ]);
    }
  });
}
