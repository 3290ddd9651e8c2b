/** The waterways' part of an iteration's solution (Trajectory.waterways), read from the LP's columns. */
import type { WaterwayColumns, WaterwayCostPart } from '../problem/waterways.js';

export interface WaterwaySolution {
  /** [tunnel][t] m3/s: the LP's flows (they close the balances). */
  flow: number[][];
  /** [node][t] m: the LP's heads; undefined where a constant (reservoir below an opening). */
  head: Array<Array<number | undefined>>;
  /** [node][t] m3/s spilled at creek intakes without spill gate. */
  creekSpill: Array<number[] | undefined>;
  /** [tunnel][t] discrete gates: the chosen position (largest binary). */
  gatePosition: Array<number[] | undefined>;
  /** [tunnel][t] a gate's opening where fixed in the iteration; undefined: decided by binaries or continuous. */
  fixedOpening: Array<Array<number | undefined> | undefined>;
  /** The costs of the waterways' columns, by objective part. */
  costs: Record<WaterwayCostPart, number>;
}

export function readWaterwaySolution(columns: WaterwayColumns, value: (column: number) => number): WaterwaySolution {
  const costs: Record<WaterwayCostPart, number> = {
    creek_spill_cost: 0,
    junction_slack_cost: 0,
    tunnel_flow_penalty: 0,
    gate_adjustment_cost: 0,
  };
  for (const { column, cost, part } of columns.costs) costs[part] += cost * value(column);
  return {
    flow: columns.flow.map((row) => row.map(value)),
    head: columns.head.map((row) => row.map((c) => (c === undefined ? undefined : value(c)))),
    creekSpill: columns.creekSpill.map((row) => row?.map((c) => (c === undefined ? 0 : value(c)))),
    gatePosition: columns.gatePosition.map((steps) =>
      steps?.map((zs) => zs.reduce((best, z, k) => (value(z) > value(zs[best]) ? k : best), 0)),
    ),
    fixedOpening: columns.fixedOpening,
    costs,
  };
}
