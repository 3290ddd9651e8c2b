import { dLevelDVolume, levelFromVolume } from '../../physics/reservoir.js';
import { flowSquaredTangent, rootTangent, tunnelFlow } from '../../physics/tunnel.js';
import { weirFlow, weirTangent } from '../../physics/weir.js';
import type { TunnelData, WaterwayColumns, WaterwayNode, Waterways } from '../waterways.js';
import {
  addFlow,
  type ConstraintFamily,
  type ProblemContext,
  type Terms,
  volumePerFlow,
  waterKey,
  waterNode,
} from './constraint-family.js';

/**
 * Tunnel networks (modelling-2.md §2): per tunnel and step a flow column (free sign, positive
 * from its start to its end), per free node a head column and its flow balance, per
 * reservoir in a network its head at the end of the step (vol_head linearised at the
 * previous storage), and the head-loss row `H_a − H_b = (k/y)·Q|Q|` with Q|Q| replaced by its
 * tangent at the previous flow. A continuous gate only throttles: `0 ≤ σQ ≤ sqrt(|ΔH|/k)`
 * (root linearised at the previous ΔH, σ its sign). A discrete gate picks one position per
 * step (binaries, big-M rows), closed = no flow; its adjustments cost. Legacy junctions and
 * creek intakes are nodes and tunnels of the same networks (waterways.ts).
 */
export const tunnels: ConstraintFamily = {
  name: 'tunnels',
  add(ctx: ProblemContext) {
    const w = ctx.system.waterways;
    if (!w) return;
    const columns: WaterwayColumns = {
      flow: [],
      head: [],
      creekSpill: w.nodes.map(() => undefined),
      slack: w.junctions.map(() => undefined),
      costs: [],
      gatePosition: w.tunnels.map(() => undefined),
      adjustment: w.tunnels.map(() => undefined),
      fixedOpening: w.tunnels.map((tunnel, j) =>
        tunnel.gate ? ctx.steps.map((t) => fixedOpening(ctx, tunnel, j, t)) : undefined,
      ),
    };
    ctx.index.waterways = columns;
    columns.head = w.nodes.map((node, n) => nodeHeads(ctx, w, node, n));
    registerNodes(ctx, w);
    columns.flow = w.tunnels.map((tunnel, j) => tunnelFlows(ctx, w, tunnel, j, columns));
    w.tunnels.forEach((tunnel, j) => tunnelRows(ctx, w, tunnel, j, columns));
    addInterlocks(ctx, w, columns);
    addCreeks(ctx, w, columns);
    addJunctions(ctx, w, columns);
    addHeadTerms(ctx, columns);
  },
};

/** Head optimization of plants fed by a network: their power follows the reservoir heads before the step. */
function addHeadTerms(ctx: ProblemContext, columns: WaterwayColumns): void {
  for (const term of ctx.input.waterways!.headTerms ?? []) {
    const head = columns.head[term.node][term.step - 1];
    if (term.step < 1 || term.step >= ctx.steps.length || head === undefined) continue;
    const balance = ctx.powerBalance;
    balance.terms.add(term.step, head, term.coefficient);
    balance.load[term.step] += term.coefficient * term.reference;
  }
}

const objectName = (node: WaterwayNode) => `${node.ref.type}.${node.ref.name}`;

/** Head columns of a node per step; a reservoir's is tied to its storage by the linearised level. */
function nodeHeads(ctx: ProblemContext, w: Waterways, node: WaterwayNode, n: number): Array<number | undefined> {
  const { lp, system, input, steps } = ctx;
  const point = input.waterways!;
  if (node.kind !== 'reservoir') {
    const upper = node.creek ? node.creek.netHead : (node.outletHeight ?? Infinity);
    const lower = node.outletHeight ?? -Infinity;
    return steps.map((t) => lp.addColumn(`${objectName(node)}.${node.headAttribute}[${t}]`, lower, upper));
  }
  const r = system.reservoirs.findIndex((res) => res.name === node.reservoir);
  const reservoir = system.reservoirs[r];
  return steps.map((t) => {
    const v0 = point.storage[n]?.[t] ?? input.startVolumes[r];
    // At the top of the storage range the level can only fall: take the slope below it.
    const at = v0 >= reservoir.maxVol - 1e-9 ? v0 - 1e-6 : v0;
    const slope = dLevelDVolume(reservoir.volHead, at);
    const level0 = levelFromVolume(reservoir.volHead, v0);
    const head = lp.addColumn(`reservoir.${reservoir.name}.head[${t}]`, -Infinity, Infinity);
    const rhs = level0 - slope * v0;
    lp.addRow(`reservoir.${reservoir.name}.level[${t}]`, rhs, rhs, [
      [head, 1],
      [ctx.index.storage[r][t], -slope],
    ]);
    void w;
    return head;
  });
}

/**
 * The flow balances of free and creek nodes, reached under every alias: flows other families
 * sent to an alias before this family ran move into the node's balance.
 */
function registerNodes(ctx: ProblemContext, w: Waterways): void {
  for (const node of w.nodes) {
    if (node.kind === 'reservoir') continue;
    const balance = waterNode(ctx, node.ref, true);
    for (const alias of node.aliases) {
      const key = waterKey(alias);
      const earlier = ctx.nodes.get(key);
      if (earlier === balance) continue;
      if (earlier) ctx.steps.forEach((t) => balance.terms[t].push(...earlier.terms[t]));
      ctx.nodes.set(key, balance);
    }
  }
}

/** The tunnel's LP name: `tunnel.T.flow` or `junction.J.tunnel_flow_1`. */
function flowName(tunnel: TunnelData): string {
  return tunnel.branch
    ? `${tunnel.owner.type}.${tunnel.owner.name}.tunnel_flow_${tunnel.branch}`
    : `tunnel.${tunnel.name}.flow`;
}

function rowName(tunnel: TunnelData, attribute: string): string {
  return tunnel.branch
    ? `${tunnel.owner.type}.${tunnel.owner.name}.${attribute}_${tunnel.branch}`
    : `tunnel.${tunnel.name}.${attribute}`;
}

/** The largest flow a tunnel can carry in the network (for big-M rows): at a generous head range. */
function flowCap(w: Waterways, ctx: ProblemContext, tunnel: TunnelData, positions: number[]): number {
  const heads = ctx.system.reservoirs
    .filter((r) => w.nodes.some((n) => n.reservoir === r.name && n.network === tunnel.network))
    .flatMap((r) => [r.lrl, r.hrl, ...r.volHead.y]);
  const range = (heads.length ? Math.max(...heads) - Math.min(...heads) : 0) + 100;
  const open = Math.max(...positions, 1e-6);
  return Math.sqrt((range * open) / tunnel.lossFactor);
}

function tunnelFlows(
  ctx: ProblemContext,
  w: Waterways,
  tunnel: TunnelData,
  j: number,
  columns: WaterwayColumns,
): number[] {
  const { lp, steps } = ctx;
  const fromCreek = w.nodes[tunnel.from].kind === 'creek';
  return steps.map((t) => {
    const hardMin = tunnel.minFlowPenaltyCost ? undefined : tunnel.minFlow?.[t];
    const hardMax = tunnel.maxFlowPenaltyCost ? undefined : tunnel.maxFlow?.[t];
    let lower = Math.max(fromCreek ? 0 : -Infinity, hardMin ?? -Infinity);
    let upper = hardMax ?? Infinity;
    // A reservoir below the opening delivers nothing into the tunnel.
    if (belowOpening(ctx, w, tunnel.from, t, tunnel.startHeight)) upper = Math.min(upper, 0);
    if (belowOpening(ctx, w, tunnel.to, t, tunnel.endHeight)) lower = Math.max(lower, 0);
    const y = fixedOpening(ctx, tunnel, j, t);
    if (y !== undefined && y <= 0) [lower, upper] = [0, 0];
    if (tunnel.gate && !tunnel.gate.continuous && y === undefined) {
      const cap = flowCap(w, ctx, tunnel, tunnel.gate.positions);
      [lower, upper] = [Math.max(lower, -cap), Math.min(upper, cap)];
    }
    const q = lp.addColumn(`${flowName(tunnel)}[${t}]`, lower, upper);
    sendFlow(ctx, w, tunnel.from, t, q, -1);
    sendFlow(ctx, w, tunnel.to, t, q, 1);
    const soft = (kind: 'min_flow' | 'max_flow', limit: number | undefined, cost: number[] | undefined) => {
      if (limit === undefined || !cost) return;
      const perFlow = cost[t] * ctx.system.steps[t].hours;
      const violation = lp.addColumn(`${rowName(tunnel, kind)}_violation[${t}]`, 0, Infinity, perFlow);
      columns.costs.push({ column: violation, cost: perFlow, part: 'tunnel_flow_penalty' });
      const terms: Terms = [
        [q, 1],
        [violation, kind === 'min_flow' ? 1 : -1],
      ];
      if (kind === 'min_flow') lp.addRow(`${rowName(tunnel, kind)}[${t}]`, limit, Infinity, terms);
      else lp.addRow(`${rowName(tunnel, kind)}[${t}]`, -Infinity, limit, terms);
    };
    soft('min_flow', tunnel.minFlow?.[t], tunnel.minFlowPenaltyCost);
    soft('max_flow', tunnel.maxFlow?.[t], tunnel.maxFlowPenaltyCost);
    return q;
  });
}

/** `coefficient · column` m3/s into node n at step t (a reservoir's water balance or a node's flow balance). */
function sendFlow(ctx: ProblemContext, w: Waterways, n: number, t: number, column: number, coefficient: number): void {
  const node = w.nodes[n];
  if (node.kind === 'reservoir') addFlow(ctx, { type: 'reservoir', name: node.reservoir! }, t, column, coefficient);
  else waterNode(ctx, node.ref).terms[t].push([column, coefficient]);
}

function belowOpening(ctx: ProblemContext, w: Waterways, n: number, t: number, height: number | undefined): boolean {
  return w.nodes[n].kind === 'reservoir' && height !== undefined && ctx.input.waterways!.head[n][t] < height;
}

/** The opening a gate is fixed at in this step (schedule, or incremental position); 1 without gate. */
function fixedOpening(ctx: ProblemContext, tunnel: TunnelData, j: number, t: number): number | undefined {
  const gate = tunnel.gate;
  if (!gate) return 1;
  const position = ctx.input.waterways!.gatePosition?.[j]?.[t];
  return gate.schedule?.[t] ?? (position !== undefined ? gate.positions[position] : undefined);
}

/** A reservoir end below the tunnel's opening: the head there is the opening's height (a constant). */
function endHead(
  ctx: ProblemContext,
  w: Waterways,
  columns: WaterwayColumns,
  n: number,
  t: number,
  height: number | undefined,
): { column?: number; constant: number } {
  if (belowOpening(ctx, w, n, t, height)) return { constant: height! };
  return { column: columns.head[n][t], constant: 0 };
}

/** The head-loss rows of one tunnel (and its gate) at every step. */
function tunnelRows(ctx: ProblemContext, w: Waterways, tunnel: TunnelData, j: number, columns: WaterwayColumns): void {
  const { lp, steps, input } = ctx;
  const point = input.waterways!;
  const gate = tunnel.gate;
  const positions = gate?.positions ?? [1];
  const cap = flowCap(w, ctx, tunnel, positions);
  let decided = false;
  steps.forEach((t) => {
    const q = columns.flow[j][t];
    const a = endHead(ctx, w, columns, tunnel.from, t, tunnel.startHeight);
    const b = endHead(ctx, w, columns, tunnel.to, t, tunnel.endHeight);
    const headTerms: Terms = [];
    if (a.column !== undefined) headTerms.push([a.column, 1]);
    if (b.column !== undefined) headTerms.push([b.column, -1]);
    const headConstant = a.constant - b.constant;
    const minStart = tunnel.minStartPressure?.[t];
    if (minStart !== undefined && a.column !== undefined) {
      lp.addRow(`${rowName(tunnel, 'min_start_pressure')}[${t}]`, minStart, Infinity, [[a.column, 1]]);
    }
    const tangent = flowSquaredTangent(point.flow[j][t]);
    const y = fixedOpening(ctx, tunnel, j, t);
    const weir = addWeir(ctx, tunnel, t, q, a.column);
    if (y !== undefined) {
      if (y <= 0) return; // closed: the flow column is fixed at 0
      // H_a − H_b − (k/y)·slope·Q = (k/y)·constant − (constants of the heads)
      const f = tunnel.lossFactor / y;
      const rhs = f * tangent.constant - headConstant;
      // Where the weir sets the flow, the water falls over it: the tunnel need only carry Q (≥).
      const upper = weir === 'controls' ? Infinity : rhs;
      lp.addRow(`${rowName(tunnel, 'head_loss')}[${t}]`, rhs, upper, [...headTerms, [q, -f * tangent.slope]]);
      return;
    }
    if (gate!.continuous) {
      const dH0 = point.head[tunnel.from][t] - point.head[tunnel.to][t];
      const sigma = dH0 < 0 ? -1 : 1;
      const root = rootTangent(dH0, tunnel.lossFactor);
      // 0 ≤ σQ ≤ c + b·σ(H_a − H_b)
      lp.addRow(`${rowName(tunnel, 'gate_direction')}[${t}]`, 0, Infinity, [[q, sigma]]);
      const rhs = root.constant + root.slope * sigma * headConstant;
      lp.addRow(`${rowName(tunnel, 'gate_flow_limit')}[${t}]`, -Infinity, rhs, [
        [q, sigma],
        ...headTerms.map(([c, v]): [number, number] => [c, -root.slope * sigma * v]),
      ]);
      return;
    }
    // Discrete positions: one binary each; the chosen one's head-loss row holds (big-M).
    const zs = positions.map((_, k) => lp.addColumn(`${rowName(tunnel, `gate_position${k}`)}[${t}]`, 0, 1, 0, true));
    (columns.gatePosition[j] ??= steps.map((): number[] => []))[t] = zs;
    decided = true;
    lp.addRow(
      `${rowName(tunnel, 'gate_position')}[${t}]`,
      1,
      1,
      zs.map((z): [number, number] => [z, 1]),
    );
    positions.forEach((yk, k) => {
      if (yk <= 0) {
        lp.addRow(`${rowName(tunnel, `gate_closed${k}`)}[${t}]`, -Infinity, cap, [
          [q, 1],
          [zs[k], cap],
        ]);
        lp.addRow(`${rowName(tunnel, `gate_closed${k}_reverse`)}[${t}]`, -Infinity, cap, [
          [q, -1],
          [zs[k], cap],
        ]);
        return;
      }
      const f = tunnel.lossFactor / yk;
      const c = f * tangent.constant - headConstant;
      const big = bigM(w, ctx, tunnel, f, tangent.slope, cap);
      const terms: Terms = [...headTerms, [q, -f * tangent.slope]];
      lp.addRow(`${rowName(tunnel, `head_loss_at_position${k}`)}[${t}]`, -Infinity, c + big, [...terms, [zs[k], big]]);
      lp.addRow(`${rowName(tunnel, `head_loss_at_position${k}_lower`)}[${t}]`, c - big, Infinity, [
        ...terms,
        [zs[k], -big],
      ]);
    });
  });
  if (decided) addAdjustment(ctx, tunnel, j, columns);
}

/**
 * A weir at the tunnel's entrance (weir_width; physics/weir.ts): `Q ≤ C·w·h^1.5`, h = H_a −
 * start_height, linearised at the previous iteration's head (the tangent lies below the weir,
 * so the cap is never looser than it). The weir controls the flow in a step (answer
 * 'controls') where, at the previous iteration's heads, the pressure flow of the tunnel would
 * exceed the weir's: the water then falls over the crest and the head-loss row holds as
 * H_a − H_b ≥ k·Q|Q| (the fall takes the rest; Tarn, a relaxation: the LP may pass less than the
 * weir's flow there, as through a throttling gate). Elsewhere the row stays an equality and the
 * cap is one more limit.
 */
function addWeir(
  ctx: ProblemContext,
  tunnel: TunnelData,
  t: number,
  q: number,
  upstreamHead: number | undefined,
): 'controls' | 'caps' | undefined {
  const width = tunnel.weirWidth;
  if (!(width! > 0) || tunnel.startHeight === undefined || upstreamHead === undefined) return undefined;
  const point = ctx.input.waterways!;
  const h0 = point.head[tunnel.from][t] - tunnel.startHeight;
  const { flow, slope } = weirTangent(h0, width!);
  // Q − slope·H_a ≤ flow − slope·(start_height + h0)
  ctx.lp.addRow(`${rowName(tunnel, 'weir_capacity')}[${t}]`, -Infinity, flow - slope * (tunnel.startHeight + h0), [
    [q, 1],
    [upstreamHead, -slope],
  ]);
  const dH0 = point.head[tunnel.from][t] - point.head[tunnel.to][t];
  return tunnelFlow(dH0, tunnel.lossFactor) > weirFlow(h0, width!) ? 'controls' : 'caps';
}

/** A bound on |H_a − H_b − f·slope·Q| over the network's head range and flows up to cap. */
function bigM(w: Waterways, ctx: ProblemContext, tunnel: TunnelData, f: number, slope: number, cap: number): number {
  const heads = ctx.system.reservoirs
    .filter((r) => w.nodes.some((n) => n.reservoir === r.name && n.network === tunnel.network))
    .flatMap((r) => [r.lrl, r.hrl, ...r.volHead.y]);
  const range = (heads.length ? Math.max(...heads) - Math.min(...heads) : 0) + 100;
  return 2 * range + f * slope * cap + f * slope * slope;
}

/** Adjustment cost of a discrete gate: d_t ≥ |y_t − y_{t−1}|, y_{−1} = initial_opening. */
function addAdjustment(ctx: ProblemContext, tunnel: TunnelData, j: number, columns: WaterwayColumns): void {
  const gate = tunnel.gate!;
  const zs = columns.gatePosition[j];
  if (!zs || !gate.adjustmentCost.some((c) => c > 0)) return;
  const { lp, steps } = ctx;
  if (zs.some((step) => !step.length)) return;
  const opening = (t: number): Terms => zs[t].map((z, k): [number, number] => [z, gate.positions[k]]);
  columns.adjustment[j] = steps.map((t) => {
    const d = lp.addColumn(`${rowName(tunnel, 'gate_adjustment')}[${t}]`, 0, Infinity, gate.adjustmentCost[t]);
    columns.costs.push({ column: d, cost: gate.adjustmentCost[t], part: 'gate_adjustment_cost' });
    const before: Terms = t > 0 ? opening(t - 1).map(([c, v]): [number, number] => [c, -v]) : [];
    const constant = t > 0 ? 0 : gate.initialOpening;
    // d ≥ y_t − y_{t−1}  and  d ≥ y_{t−1} − y_t
    lp.addRow(`${rowName(tunnel, 'gate_adjustment_up')}[${t}]`, -constant, Infinity, [
      [d, 1],
      ...opening(t).map(([c, v]): [number, number] => [c, -v]),
      ...before.map(([c, v]): [number, number] => [c, -v]),
    ]);
    lp.addRow(`${rowName(tunnel, 'gate_adjustment_down')}[${t}]`, constant, Infinity, [
      [d, 1],
      ...opening(t),
      ...before,
    ]);
    return d;
  });
}

/** Interlock constraints: min_open ≤ Σ open tunnels ≤ max_open per step. */
function addInterlocks(ctx: ProblemContext, w: Waterways, columns: WaterwayColumns): void {
  const { lp, steps } = ctx;
  for (const interlock of w.interlocks) {
    const open = interlock.tunnels.map((j) => steps.map((t) => openTerms(ctx, w, columns, j, t)));
    steps.forEach((t) => {
      const terms = open.flatMap((perStep) => perStep[t].terms);
      const constant = open.reduce((sum, perStep) => sum + perStep[t].constant, 0);
      const lower = (interlock.minOpen?.[t] ?? -Infinity) - constant;
      const upper = (interlock.maxOpen?.[t] ?? Infinity) - constant;
      if (!terms.length) return;
      lp.addRow(`interlock_constraint.${interlock.name}.open_tunnels[${t}]`, lower, upper, terms);
    });
    interlock.tunnels.forEach((j, i) => addSwitchTime(ctx, w, interlock.name, j, interlock.switchHours[i], open[i]));
  }
}

/** Whether tunnel j is open at step t: Σ of its open positions' binaries + a constant. */
function openTerms(
  ctx: ProblemContext,
  w: Waterways,
  columns: WaterwayColumns,
  j: number,
  t: number,
): { terms: Terms; constant: number } {
  const gate = w.tunnels[j].gate;
  const zs = columns.gatePosition[j]?.[t];
  if (gate && zs) {
    return { terms: zs.filter((_, k) => gate.positions[k] > 0).map((z): [number, number] => [z, 1]), constant: 0 };
  }
  const y = fixedOpening(ctx, w.tunnels[j], j, t) ?? 1;
  return { terms: [], constant: y > 0 ? 1 : 0 };
}

/**
 * After tunnel j closes (open before, closed at step t), the plants its network feeds stand
 * still for `hours` from the start of step t: closing_t ≥ open_{t−1} − open_t, and
 * Σ discharge_s ≤ Q_max·(1 − closing_t) in the steps that start within that time.
 */
function addSwitchTime(
  ctx: ProblemContext,
  w: Waterways,
  interlock: string,
  j: number,
  hours: number,
  open: Array<{ terms: Terms; constant: number }>,
): void {
  if (!(hours > 0)) return;
  const { lp, steps, system, input } = ctx;
  const tunnel = w.tunnels[j];
  const plants = system.plants
    .map((plant, p) => ({ plant, p }))
    .filter(({ plant }) => {
      const intake = w.plantNodes.get(plant.name)?.intake;
      return intake !== undefined && w.nodes[intake].network === tunnel.network;
    });
  if (!plants.length) return;
  const initiallyOpen = (tunnel.gate?.initialOpening ?? 1) > 0 ? 1 : 0;
  const starts = system.steps.reduce(
    (acc: number[], step, t) => [...acc, t ? acc[t - 1] + system.steps[t - 1].hours : 0],
    [],
  );
  steps.forEach((t) => {
    // closing − (open_{t−1} − open_t) ≥ 0
    const before = t > 0 ? open[t - 1] : { terms: [], constant: initiallyOpen };
    const terms: Terms = [...open[t].terms, ...before.terms.map(([c, v]): [number, number] => [c, -v])];
    const constant = before.constant - open[t].constant;
    if (!terms.length && constant <= 0) return;
    const closing = lp.addColumn(`tunnel.${tunnel.name}.closing[${t}]`, 0, 1);
    lp.addRow(`tunnel.${tunnel.name}.closing_def[${t}]`, constant, Infinity, [[closing, 1], ...terms]);
    steps
      .filter((s) => starts[s] >= starts[t] && starts[s] < starts[t] + hours)
      .forEach((s) =>
        plants.forEach(({ plant, p }) => {
          const discharge = ctx.index.unitDischarge[p].map((unit): [number, number] => [unit[s], 1]);
          const qMax = plant.generators.reduce((sum, _, g) => {
            const curve = input.curves[p][g][s];
            return sum + curve.qMin + curve.segments.reduce((total, seg) => total + seg.length, 0);
          }, 0);
          if (qMax <= 0) return;
          lp.addRow(`interlock_constraint.${interlock}.switch_time[${s}]`, -Infinity, qMax, [
            ...discharge,
            [closing, qMax],
          ]);
        }),
      );
  });
}

/**
 * Creek intakes: the available water enters the node (rhs), what the intake does not take
 * spills through the creek's spill gate (its discharge, at the creek's overflow cost) or, without
 * one, through a spill column at that cost.
 */
function addCreeks(ctx: ProblemContext, w: Waterways, columns: WaterwayColumns): void {
  const { lp, steps, system } = ctx;
  w.nodes.forEach((node, n) => {
    const creek = node.creek;
    if (!creek) return;
    const balance = waterNode(ctx, node.ref, true);
    const spillGate = system.gates.findIndex(
      (g) => g.from?.type === 'creek_intake' && g.from.name === creek.name && g.kind === 'spill',
    );
    steps.forEach((t) => {
      balance.rhs[t] -= creek.available[t];
      const cost = creek.overflowCost[t] * volumePerFlow(ctx, t);
      if (spillGate >= 0) {
        const column = ctx.index.gateDischarge[spillGate][t];
        lp.addCost(column, cost);
        columns.costs.push({ column, cost, part: 'creek_spill_cost' });
      }
    });
    if (spillGate >= 0) return;
    columns.creekSpill[n] = steps.map((t) => {
      const cost = creek.overflowCost[t] * volumePerFlow(ctx, t);
      const spill = lp.addColumn(`creek_intake.${creek.name}.spill[${t}]`, 0, Infinity, cost);
      columns.costs.push({ column: spill, cost, part: 'creek_spill_cost' });
      balance.terms[t].push([spill, -1]);
      return spill;
    });
  });
}

/**
 * Junctions: a slack into and out of the node's balance (junc_slack / add_slack) at the global
 * overflow cost, the minimum pressure, and a junction gate's closed output (schedule 0: the
 * plants it feeds stand still).
 */
function addJunctions(ctx: ProblemContext, w: Waterways, columns: WaterwayColumns): void {
  const { lp, steps, system } = ctx;
  w.junctions.forEach((junction, i) => {
    const balance = waterNode(ctx, w.nodes[junction.node].ref, true);
    const head = columns.head[junction.node];
    steps.forEach((t) => {
      const min = junction.minPressure?.[t];
      if (min !== undefined && head[t] !== undefined) {
        lp.addRow(`${junction.type}.${junction.name}.min_pressure[${t}]`, min, Infinity, [[head[t]!, 1]]);
      }
      if (junction.schedule?.[t] === 0) {
        const plants = [...w.plantNodes].filter(([, nodes]) => nodes.intake === junction.node).map(([name]) => name);
        const terms: Terms = [];
        system.plants.forEach((plant, p) => {
          if (plants.includes(plant.name)) ctx.index.unitDischarge[p].forEach((unit) => terms.push([unit[t], 1]));
        });
        if (terms.length) lp.addRow(`${junction.type}.${junction.name}.output_closed[${t}]`, -Infinity, 0, terms);
      }
    });
    if (!junction.slack) return;
    columns.slack[i] = steps.map((t) => {
      const cost = system.globalSettings.overflowCost * volumePerFlow(ctx, t);
      const into = lp.addColumn(`${junction.type}.${junction.name}.slack_in[${t}]`, 0, Infinity, cost);
      const out = lp.addColumn(`${junction.type}.${junction.name}.slack_out[${t}]`, 0, Infinity, cost);
      balance.terms[t].push([into, 1], [out, -1]);
      columns.costs.push(
        { column: into, cost, part: 'junction_slack_cost' },
        { column: out, cost, part: 'junction_slack_cost' },
      );
      return [into, out];
    });
  });
}
