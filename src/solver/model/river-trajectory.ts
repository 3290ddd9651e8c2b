/** A river's solution per step, read back from its columns (families/rivers.ts). */
import type { ColumnIndex, RiverPenaltyKind } from '../problem/iteration-input.js';

export interface RiverFlows {
  /** m3/s per step */
  upstream: number[];
  downstream: number[];
  /** [reservoir index, m3/s per step] released into the river */
  releases: Array<{ reservoir: number; flow: number[] }>;
  /** m3/s of violation per step and the cost per m3/s and hour */
  penalties: Array<{ kind: RiverPenaltyKind; violation: number[]; cost: number[] }>;
  /** flow per flow_cost_curve segment, with its cost per m3/s and hour */
  costCurve: Array<{ flow: number[]; cost: number }>;
  initialDownstream: number[];
  transit: number[];
  /** m above upstream_elevation per step, where the gate is modelled (families/river-gates.ts) */
  gateHeight?: number[];
  /** m the gate moved per step (costed), and m beyond gate_ramping (penalised) */
  gateAdjustment?: number[];
  gateRampViolation?: number[];
}

export function readRiverFlows(index: ColumnIndex, colValue: ArrayLike<number>): RiverFlows[] {
  const v = (column: number | undefined) => (column === undefined ? 0 : colValue[column]);
  return (index.rivers ?? []).map((river) => ({
    upstream: river.upstream.map(v),
    downstream: river.downstream.map(v),
    releases: river.releases.map(({ reservoir, columns }) => ({ reservoir, flow: columns.map(v) })),
    penalties: river.penalties.map(({ kind, columns, cost }) => ({ kind, violation: columns.map(v), cost })),
    costCurve: (river.costCurve ?? []).map(({ columns, cost }) => ({ flow: columns.map(v), cost })),
    initialDownstream: river.initialDownstream,
    transit: river.transit,
    ...(river.gate
      ? {
          gateHeight: river.gate.height.map(v),
          gateAdjustment: river.gate.adjustment.map(v),
          gateRampViolation: river.gate.rampViolation.map(v),
        }
      : {}),
  }));
}
