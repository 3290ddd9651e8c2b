/**
 * The tunnel networks between iterations (modelling-2.md §2.1): where each iteration
 * linearises the head losses and levels (the previous iteration's flows and storage; the
 * first iteration a network solve at start levels with plants at best-point discharge), the
 * pressure at plant intakes and outlets that the plants' heads use, and the networks'
 * steady state at given levels (the results' post-calculation).
 */
import type { Unit } from '../physics/generator.js';
import { bestEfficiencyDischarge, dPowerDHead } from '../physics/generator.js';
import { levelFromVolume } from '../physics/reservoir.js';
import {
  gateOpening,
  type NetworkBranch,
  type NetworkNode,
  type NetworkState,
  solveNetwork,
} from '../physics/tunnel.js';
import { weirFlow } from '../physics/weir.js';
import type { HydroSystem } from '../problem/hydro-system.js';
import type { WaterwayPoint, Waterways } from '../problem/waterways.js';
import type { Log } from './optimizer.types.js';
import { unitNetHeads } from './head-coefficients.js';
import type { Trajectory } from './trajectory.js';

/** [plant][t] head (m) at a plant's intake / outlet where that is a network node; undefined elsewhere. */
export interface PlantLevels {
  upstream: Array<number[] | undefined>;
  downstream: Array<number[] | undefined>;
  /**
   * [plant][t] s²/m⁵: the network's loss between the still intake and the running plant as a
   * loss on the plant's own flow (added to main_loss for its curves; `upstream` is then the
   * intake pressure with the plant still).
   */
  networkLoss?: Array<number[] | undefined>;
}

/** One step's inputs to the network's steady state. */
export interface StepFlows {
  /** m per reservoir (system order) */
  levels: number[];
  /** m3/s per plant: net discharge (generation − pumping) */
  plantFlow: (p: number) => number;
  /** m3/s per gate */
  gateFlow: (g: number) => number;
  /** Per tunnel: its opening, or a throttling gate's flow. */
  branch: (j: number) => { opening: number; fixedFlow?: number };
  /** Free nodes' start heads. */
  initial?: number[];
}

/** The steady state of every network at one step. */
export function networkState(system: HydroSystem, w: Waterways, t: number, flows: StepFlows): NetworkState {
  const reservoirIndex = new Map(system.reservoirs.map((r, i) => [r.name, i]));
  const nodes: NetworkNode[] = w.nodes.map((node) =>
    node.kind === 'reservoir'
      ? { fixedHead: flows.levels[reservoirIndex.get(node.reservoir!)!], inflow: 0 }
      : {
          inflow: node.creek ? node.creek.available[t] : 0,
          ...(node.creek ? { maxHead: node.creek.netHead } : {}),
          ...(node.outletHeight !== undefined ? { fixedHead: node.outletHeight } : {}),
        },
  );
  system.plants.forEach((plant, p) => {
    const at = w.plantNodes.get(plant.name);
    if (at?.intake !== undefined) nodes[at.intake].inflow -= flows.plantFlow(p);
    if (at?.outlet !== undefined) nodes[at.outlet].inflow += flows.plantFlow(p);
  });
  system.gates.forEach((gate, g) => {
    const from = gate.from ? w.nodeOfKey.get(`${gate.from.type}.${gate.from.name}`) : undefined;
    const to = gate.to ? w.nodeOfKey.get(`${gate.to.type}.${gate.to.name}`) : undefined;
    if (from !== undefined && w.nodes[from].kind !== 'reservoir') nodes[from].inflow -= flows.gateFlow(g);
    if (to !== undefined && w.nodes[to].kind !== 'reservoir') nodes[to].inflow += flows.gateFlow(g);
  });
  const branches: NetworkBranch[] = w.tunnels.map((tunnel, j) => ({
    from: tunnel.from,
    to: tunnel.to,
    k: tunnel.lossFactor,
    ...flows.branch(j),
    ...(tunnel.startHeight !== undefined ? { startHeight: tunnel.startHeight } : {}),
    ...(tunnel.endHeight !== undefined ? { endHeight: tunnel.endHeight } : {}),
  }));
  return solveNetwork(nodes, branches, flows.initial);
}

/** A plant's net flow at step t: its generators' discharge less its pumps' upflow. */
const plantDischarge = (solution: Trajectory, p: number, t: number) =>
  solution.discharge[p].reduce((sum, unit) => sum + unit[t], 0) -
  (solution.pumps?.upflow[p] ?? []).reduce((sum, pump) => sum + pump[t], 0);

/**
 * A plant's discharge at the best-efficiency point of each of its units, at the highest
 * reservoir level of its network (the first iteration's guess of what it runs).
 */
function bestPointDischarge(system: HydroSystem, w: Waterways, units: Unit[][], start: number[], p: number): number {
  const plant = system.plants[p];
  const at = w.plantNodes.get(plant.name);
  if (at?.intake === undefined) return 0;
  const network = w.nodes[at.intake].network;
  const levels = w.nodes
    .filter((n) => n.network === network && n.kind === 'reservoir')
    .map((n) => {
      const r = system.reservoirs.findIndex((res) => res.name === n.reservoir);
      return levelFromVolume(system.reservoirs[r].volHead, start[r]);
    });
  const creeks = w.nodes.filter((n) => n.network === network && n.creek).map((n) => n.creek!.netHead);
  const head = Math.max(...levels, ...creeks, plant.outletLine + 1) - plant.outletLine;
  return units[p].reduce((sum, unit) => sum + bestEfficiencyDischarge(unit.turbine, head).q, 0);
}

/** Openings of the tunnels at step t of a solution: gates from the LP (k·Q²/|ΔH|, clipped), 1 otherwise. */
function lpOpening(w: Waterways, solution: Trajectory | undefined, j: number, t: number): number {
  const tunnel = w.tunnels[j];
  const gate = tunnel.gate;
  if (!gate) return 1;
  if (gate.schedule?.[t] !== undefined) return gate.schedule[t]!;
  const ws = solution?.waterways;
  if (!ws) return gate.initialOpening;
  const fixed = ws.fixedOpening[j]?.[t];
  if (fixed !== undefined) return fixed;
  const position = ws.gatePosition[j]?.[t];
  if (position !== undefined) return gate.positions[position];
  const dH = (ws.head[tunnel.from][t] ?? 0) - (ws.head[tunnel.to][t] ?? 0);
  return gateOpening(ws.flow[j][t], dH, tunnel.lossFactor);
}

/**
 * What the next iteration linearises at, and the plants' heads at their network nodes:
 * the previous iteration's LP flows and storage (first iteration: a network solve at start
 * levels with plants at best-point discharge). Incremental iterations keep the discrete
 * gates' positions of the last full iteration.
 */
export function tunnelPoint(
  system: HydroSystem,
  units: Unit[][],
  start: number[],
  previous: Trajectory | undefined,
  lastFull: Trajectory | undefined,
  incremental: boolean,
  headOptimization = false,
): { point: WaterwayPoint; plantLevels: PlantLevels } | undefined {
  const w = system.waterways;
  if (!w) return undefined;
  const steps = system.steps.map((_, t) => t);
  const reservoirIndex = new Map(system.reservoirs.map((r, i) => [r.name, i]));
  const storageAt = (r: number, t: number) => (previous ? previous.storage[r][t] : start[r]);
  const levelAt = (r: number, volume: number) => levelFromVolume(system.reservoirs[r].volHead, volume);
  const before = (r: number, t: number) => (t === 0 || !previous ? start[r] : previous.storage[r][t - 1]);

  // Start-of-step network states: the plants' heads (and the first iteration's flows).
  const states = steps.map((t) =>
    networkState(system, w, t, {
      levels: system.reservoirs.map((_, r) => levelAt(r, before(r, t))),
      plantFlow: (p) => (previous ? plantDischarge(previous, p, t) : bestPointDischarge(system, w, units, start, p)),
      gateFlow: (g) => previous?.gate[g][t] ?? 0,
      branch: (j) => ({ opening: lpOpening(w, previous, j, t) }),
    }),
  );
  const storage = w.nodes.map((node) => {
    if (node.kind !== 'reservoir') return undefined;
    const r = reservoirIndex.get(node.reservoir!)!;
    return steps.map((t) => storageAt(r, t));
  });
  const head = w.nodes.map((node, n) =>
    steps.map((t) => {
      if (node.kind === 'reservoir') return levelAt(reservoirIndex.get(node.reservoir!)!, storage[n]![t]);
      return previous?.waterways?.head[n][t] ?? states[t].heads[n];
    }),
  );
  const flow = w.tunnels.map((_, j) => steps.map((t) => previous?.waterways?.flow[j][t] ?? states[t].flows[j]));
  const fixedFrom = incremental ? lastFull?.waterways?.gatePosition : undefined;
  const point: WaterwayPoint = {
    flow,
    head,
    storage,
    ...(fixedFrom ? { gatePosition: w.tunnels.map((_, j) => fixedFrom[j]) } : {}),
  };
  // A plant's head falls with its own flow through the tunnels: its curves see the intake
  // pressure with the plant still and the network's loss as k_eq·Q² on top of its own losses
  // (k_eq from the previous flow, or the best-point flow where it stood still).
  const plantLevels: PlantLevels = { upstream: [], downstream: [], networkLoss: [] };
  system.plants.forEach((plant, p) => {
    const at = w.plantNodes.get(plant.name);
    plantLevels.downstream[p] = at?.outlet === undefined ? undefined : steps.map((t) => states[t].heads[at.outlet!]);
    if (at?.intake === undefined) {
      plantLevels.upstream[p] = undefined;
      plantLevels.networkLoss![p] = undefined;
      return;
    }
    const best = bestPointDischarge(system, w, units, start, p);
    const still: number[] = [];
    const loss: number[] = [];
    steps.forEach((t) => {
      const solveWith = (q: number) =>
        networkState(system, w, t, {
          levels: system.reservoirs.map((_, r) => levelAt(r, before(r, t))),
          plantFlow: (i) =>
            i === p ? q : previous ? plantDischarge(previous, i, t) : bestPointDischarge(system, w, units, start, i),
          gateFlow: (g) => previous?.gate[g][t] ?? 0,
          branch: (j) => ({ opening: lpOpening(w, previous, j, t) }),
        }).heads[at.intake!];
      const q0 = previous ? plantDischarge(previous, p, t) : best;
      const reference = q0 > 1 ? q0 : best;
      const h0 = solveWith(0);
      still.push(h0);
      loss.push(reference > 1 ? Math.max(0, (h0 - solveWith(reference)) / reference ** 2) : 0);
    });
    plantLevels.upstream[p] = still;
    plantLevels.networkLoss![p] = loss;
    if (headOptimization && previous) {
      point.headTerms ??= [];
      point.headTerms.push(...networkHeadTerms(system, w, units, previous, p, at.intake, still, loss, levelAt, before));
    }
  });
  return { point, plantLevels };
}

/**
 * Head optimization (modelling.md) of a plant fed by a network: per unit that ran and step t ≥ 1,
 * ∂P/∂H at its previous operating point times ∂H_intake/∂L_r (a network solve, per network
 * reservoir r), applied to (L_r[t−1] − L⁰_r[t−1]).
 */
function networkHeadTerms(
  system: HydroSystem,
  w: Waterways,
  units: Unit[][],
  previous: Trajectory,
  p: number,
  intake: number,
  still: number[],
  loss: number[],
  levelAt: (r: number, volume: number) => number,
  before: (r: number, t: number) => number,
): NonNullable<WaterwayPoint['headTerms']> {
  const plant = system.plants[p];
  const network = w.nodes[intake].network;
  const reservoirNodes = w.nodes
    .map((node, n) => ({ node, n }))
    .filter(({ node }) => node.kind === 'reservoir' && node.network === network)
    .map(({ node, n }) => ({ n, r: system.reservoirs.findIndex((res) => res.name === node.reservoir) }));
  const terms: NonNullable<WaterwayPoint['headTerms']> = [];
  for (let t = 1; t < system.steps.length; t++) {
    const flows = plant.generators.map((_, g) => previous.discharge[p][g][t]);
    if (!flows.some((q) => q > 1e-6)) continue;
    const levels = system.reservoirs.map((_, r) => levelAt(r, before(r, t)));
    const intakeStill = (shifted: number[]) =>
      networkState(system, w, t, {
        levels: shifted,
        plantFlow: (i) => (i === p ? 0 : plantDischarge(previous, i, t)),
        gateFlow: (g) => previous.gate[g][t],
        branch: (j) => ({ opening: lpOpening(w, previous, j, t) }),
      }).heads[intake];
    const gross = still[t] - Math.max(plant.outletLine, 0);
    const heads = unitNetHeads({ ...plant, mainLoss: plant.mainLoss + loss[t] }, flows, gross);
    for (const { n, r } of reservoirNodes) {
      const delta = 0.01;
      const shifted = levels.map((level, i) => (i === r ? level + delta : level));
      const sensitivity = (intakeStill(shifted) - still[t]) / delta;
      if (Math.abs(sensitivity) < 1e-9) continue;
      plant.generators.forEach((_, g) => {
        const dPdH = flows[g] > 1e-6 ? dPowerDHead(units[p][g], flows[g], heads[g]) : 0;
        if (dPdH === 0) return;
        const reference = levelAt(r, previous.storage[r][t - 1]);
        terms.push({ plant: p, unit: g, step: t, node: n, coefficient: dPdH * sensitivity, reference });
      });
    }
  }
  return terms;
}

/** Adds the network head terms' part to the units' solver production (as readTrajectory does for reservoirs). */
export function addNetworkHeadPower(point: WaterwayPoint | undefined, solution: Trajectory): void {
  const heads = solution.waterways?.head;
  if (!point?.headTerms || !heads) return;
  for (const term of point.headTerms) {
    const head = heads[term.node][term.step - 1];
    if (head !== undefined) {
      solution.solverPower[term.plant][term.unit][term.step] += term.coefficient * (head - term.reference);
    }
  }
}

/** The plants' network heads at the start of every step of a solution (results: production, gross head). */
export function solutionPlantLevels(
  system: HydroSystem,
  start: number[],
  solution: Trajectory,
): PlantLevels | undefined {
  const w = system.waterways;
  if (!w) return undefined;
  const before = (r: number, t: number) => (t === 0 ? start[r] : solution.storage[r][t - 1]);
  const states = system.steps.map((_, t) =>
    networkState(system, w, t, {
      levels: system.reservoirs.map((res, r) => levelFromVolume(res.volHead, before(r, t))),
      plantFlow: (p) => plantDischarge(solution, p, t),
      gateFlow: (g) => solution.gate[g][t],
      branch: (j) => ({ opening: lpOpening(w, solution, j, t) }),
    }),
  );
  const levels: PlantLevels = { upstream: [], downstream: [] };
  system.plants.forEach((plant, p) => {
    const at = w.plantNodes.get(plant.name);
    levels.upstream[p] = at?.intake === undefined ? undefined : states.map((s) => s.heads[at.intake!]);
    levels.downstream[p] = at?.outlet === undefined ? undefined : states.map((s) => s.heads[at.outlet!]);
  });
  return levels;
}

/**
 * The networks at the end of every step of a solution, as SHOP reports them: reservoir heads
 * are the end-of-step levels, flows follow from heads and openings. A continuous gate that
 * throttled in the LP keeps the LP's flow (its opening follows: k·Q²/|ΔH|); where that
 * would need an opening above 1, the gate is open and the flow follows the heads. A tunnel
 * whose entrance weir would be passed more than its head allows keeps the LP's flow likewise
 * (the water falls over the crest), unless the heads could not carry even that.
 */
export function endOfStepStates(
  system: HydroSystem,
  solution: Trajectory,
): Array<NetworkState & { openings: number[] }> {
  const w = system.waterways!;
  const ws = solution.waterways!;
  return system.steps.map((_, t) => {
    const levels = system.reservoirs.map((res, r) => levelFromVolume(res.volHead, solution.storage[r][t]));
    const throttled = new Set<number>();
    const tried = new Set<number>();
    w.tunnels.forEach((tunnel, j) => {
      if (!tunnel.gate?.continuous || tunnel.gate.schedule?.[t] !== undefined) return;
      if (lpOpening(w, solution, j, t) < 0.999) throttled.add(j);
    });
    for (;;) {
      const state = networkState(system, w, t, {
        levels,
        plantFlow: (p) => plantDischarge(solution, p, t),
        gateFlow: (g) => solution.gate[g][t],
        branch: (j) =>
          throttled.has(j) ? { opening: 1, fixedFlow: ws.flow[j][t] } : { opening: lpOpening(w, solution, j, t) },
      });
      const openings = w.tunnels.map((tunnel, j) => {
        if (!throttled.has(j)) return tunnel.gate ? lpOpening(w, solution, j, t) : 1;
        const dH = state.heads[tunnel.from] - state.heads[tunnel.to];
        return (tunnel.lossFactor * state.flows[j] ** 2) / Math.max(Math.abs(dH), 1e-12);
      });
      const wrong = [...throttled].filter((j) => {
        const tunnel = w.tunnels[j];
        const dH = state.heads[tunnel.from] - state.heads[tunnel.to];
        return (
          openings[j] > 1 + 1e-9 || (Math.abs(state.flows[j]) > 1e-9 && Math.sign(dH) !== Math.sign(state.flows[j]))
        );
      });
      // A weir at the entrance lets no more through than its head allows: there the LP's flow stands.
      const overWeir = w.tunnels
        .map((tunnel, j) => ({ tunnel, j }))
        .filter(({ tunnel, j }) => {
          if (!(tunnel.weirWidth! > 0) || throttled.has(j) || tried.has(j)) return false;
          const h = state.heads[tunnel.from] - tunnel.startHeight!;
          return state.flows[j] > weirFlow(h, tunnel.weirWidth!) + 1e-6;
        })
        .map(({ j }) => j);
      if (!wrong.length && !overWeir.length) {
        return { ...state, openings: openings.map((y) => Math.min(1, Math.max(0, y))) };
      }
      for (const j of wrong) throttled.delete(j);
      for (const j of overWeir) {
        throttled.add(j);
        tried.add(j);
      }
    }
  });
}

/** Tunnel flow penalties and gate adjustment costs have no SHOP objective field: minor_penalties holds them (named here). */
export function logTunnelCosts(solution: Trajectory, log: Log): void {
  const costs = solution.waterways?.costs;
  if (!costs) return;
  const named = [
    ['tunnel flow penalties (min_flow/max_flow)', costs.tunnel_flow_penalty],
    ['tunnel gate adjustment costs', costs.gate_adjustment_cost],
  ].filter(([, cost]) => (cost as number) > 0);
  for (const [what, cost] of named) {
    log('INFO', `Objective: ${what} ${(cost as number).toFixed(2)} are part of minor_penalties`);
  }
}
