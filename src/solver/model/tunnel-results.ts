/**
 * The tunnel networks' results under SHOP's names (modelling-2.md §2). As SHOP, `flow`,
 * `end_pressure`, junctions' `tunnel_flow_*` and `pressure_height` are post-calculated: the
 * networks' steady state at the end-of-step levels and the gates' openings, so every reported
 * flow satisfies its head-loss relation with the reported levels. The `sim_` forms hold the
 * LP's values (the flows that close the balances; Tarn has no separate simulator), as do a
 * creek intake's `sim_inflow` and `sim_pressure_height`.
 */
import type { Txy } from '../../shop/shop-json.js';
import { MM3_PER_M3S_HOUR } from '../physics/reservoir.js';
import type { HydroSystem } from '../problem/hydro-system.js';
import type { WaterwayCostPart } from '../problem/waterways.js';
import type { Trajectory } from './trajectory.js';
import { endOfStepStates } from './tunnel-state.js';

type Put = (objectType: string, objectName: string, attribute: string, value: unknown) => void;

/** Puts the waterways' outputs; answers the objective parts of their costs. */
export function tunnelOutputs(
  put: Put,
  series: (values: number[]) => Txy,
  system: HydroSystem,
  solution: Trajectory,
): Record<WaterwayCostPart, number> | undefined {
  const w = system.waterways;
  const ws = solution.waterways;
  if (!w || !ws) return undefined;
  const states = endOfStepStates(system, solution);
  const steps = system.steps.map((_, t) => t);
  const lpHead = (n: number, t: number) => ws.head[n][t] ?? states[t].heads[n];
  w.tunnels.forEach((tunnel, j) => {
    if (tunnel.owner.type !== 'tunnel') return;
    const name = tunnel.name;
    const flow = series(steps.map((t) => states[t].flows[j]));
    put('tunnel', name, 'flow', flow);
    // Tarn: the physical flow is the flow from the end-of-step heads and openings, as `flow` reports it.
    put('tunnel', name, 'physical_flow', flow);
    put('tunnel', name, 'sim_flow', series(ws.flow[j]));
    put('tunnel', name, 'end_pressure', series(steps.map((t) => states[t].heads[tunnel.to])));
    put('tunnel', name, 'sim_end_pressure', series(steps.map((t) => lpHead(tunnel.to, t))));
    if (tunnel.gate) put('tunnel', name, 'gate_opening', series(steps.map((t) => states[t].openings[j])));
    put('tunnel', name, 'network_no', tunnel.network);
  });
  for (const node of w.nodes) {
    if (node.kind !== 'reservoir') continue;
    put('reservoir', node.reservoir!, 'added_to_network', 1);
    put('reservoir', node.reservoir!, 'network_no', node.network);
  }
  for (const junction of w.junctions) {
    const { type, name } = junction;
    put(type, name, 'pressure_height', series(steps.map((t) => states[t].heads[junction.node])));
    if (type === 'junction') put(type, name, 'sim_pressure_height', series(steps.map((t) => lpHead(junction.node, t))));
    junction.tunnels.forEach((j, i) => {
      put(type, name, `tunnel_flow_${i + 1}`, series(steps.map((t) => states[t].flows[j])));
      if (type === 'junction') put(type, name, `sim_tunnel_flow_${i + 1}`, series(ws.flow[j]));
      if (type === 'junction_gate') {
        const k = w.tunnels[j].lossFactor;
        put(
          type,
          name,
          `tunnel_loss_${i + 1}`,
          series(steps.map((t) => k * states[t].flows[j] * Math.abs(states[t].flows[j]))),
        );
      }
    });
  }
  const creekSpill = { physical: 0, nonphysical: 0 };
  w.nodes.forEach((node, n) => {
    const creek = node.creek;
    if (!creek) return;
    const gate = system.gates.findIndex(
      (g) => g.from?.type === 'creek_intake' && g.from.name === creek.name && g.kind === 'spill',
    );
    const spill = steps.map((t) => (gate >= 0 ? solution.gate[gate][t] : (ws.creekSpill[n]?.[t] ?? 0)));
    put('creek_intake', creek.name, 'sim_inflow', series(steps.map((t) => creek.available[t] - spill[t])));
    put('creek_intake', creek.name, 'sim_pressure_height', series(steps.map((t) => lpHead(n, t))));
    // Spill while the intake could take more (its pressure below the surface) is not physical.
    const flag = steps.map((t) => (spill[t] > 1e-6 && lpHead(n, t) < creek.netHead - 1e-3 ? 1 : 0));
    put('creek_intake', creek.name, 'non_physical_overflow_flag', series(flag));
    steps.forEach((t) => {
      const cost = spill[t] * creek.overflowCost[t] * MM3_PER_M3S_HOUR * system.steps[t].hours;
      if (flag[t]) creekSpill.nonphysical += cost;
      else creekSpill.physical += cost;
    });
  });
  if (w.nodes.some((node) => node.creek)) {
    // The parts of creek_spill_cost (which minor_penalties holds), as SHOP splits it.
    put('objective', 'average_objective', 'creek_physical_spill_cost', creekSpill.physical);
    put('objective', 'average_objective', 'creek_nonphysical_spill_cost', creekSpill.nonphysical);
  }
  return ws.costs;
}
