/**
 * Pressurised waterways (modelling-2.md §2) as typed data: tunnel networks of reservoirs and
 * free nodes joined by tunnels, with SHOP's legacy junction, junction_gate and creek_intake
 * translated into the same networks (§2.2–2.4). Read once per model by `readWaterways`,
 * which `hydroSystem` calls; the tunnels family builds the LP rows from it.
 *
 * Nodes: a reservoir in a network (its head is its level at the end of a step), a free node
 * (where tunnels meet, a plant intake or outlet, a junction), or a creek intake (a free node
 * fed by the creek's water whose head cannot rise above `net_head`). Other families send
 * water into a free node under its aliases (`tunnel.T` for a plant fed by tunnel T,
 * `junction.J`, `creek_intake.C`), so a plant, pump or gate needs to know nothing of tunnels.
 */
import type { Connection, ShopModelJson, Txy, Xy } from '../../shop/shop-json.js';
import { expandSeries, stepStarts } from '../../shop/time-steps.js';
import { openingAt } from '../physics/tunnel.js';

/** A water object, as hydro-system's WaterRef. */
export interface WaterwayRef {
  type: string;
  name: string;
}

export interface CreekData {
  name: string;
  /** m: the intake's surface; the node's head cannot rise above it. */
  netHead: number;
  /** m3/s per step: inflow (or inflow_percentage of the reference reservoir's), capped by max_inflow(_dynamic). */
  available: number[];
  /** currency per Mm3 spilled, per step: overflow_cost, else global_settings overflow_cost. */
  overflowCost: number[];
}

export interface WaterwayNode {
  /** The object the node is named after in the LP and the outputs. */
  ref: WaterwayRef;
  kind: 'reservoir' | 'free' | 'creek';
  /** The reservoir's name (reservoir nodes). */
  reservoir?: string;
  /** Refs other families send water into (plants, gates, pumps): their flows balance here. */
  aliases: WaterwayRef[];
  /** The attribute naming the node's head column (`head`, `end_pressure`, `pressure_height`, ...). */
  headAttribute: string;
  creek?: CreekData;
  /** 1-based network number (SHOP's network_no). */
  network: number;
}

export interface TunnelGateData {
  /** Opening curve (position → factor 0..1); undefined: the identity. */
  curve?: Xy;
  continuous: boolean;
  /** Opening factor before the first step. */
  initialOpening: number;
  /** currency per unit change of the opening, per step */
  adjustmentCost: number[];
  /** Opening factor fixed by gate_opening_schedule (a position mapped through the curve), per step. */
  schedule?: Array<number | undefined>;
  /** Discrete gates: the opening factors of the curve's positions. */
  positions: number[];
}

export interface TunnelData {
  /** The tunnel's name, or `J#1`/`J#2` for a junction's branch. */
  name: string;
  /** The SHOP object the tunnel belongs to: the tunnel itself or the junction (gate). */
  owner: WaterwayRef;
  branch?: 1 | 2;
  /** Node indices; positive flow runs from → to. */
  from: number;
  to: number;
  /** s²/m⁵ at full opening */
  lossFactor: number;
  startHeight?: number;
  endHeight?: number;
  weirWidth?: number;
  minFlow?: Array<number | undefined>;
  maxFlow?: Array<number | undefined>;
  /** currency per m3/s and hour of violation; undefined: the limit is hard. */
  minFlowPenaltyCost?: number[];
  maxFlowPenaltyCost?: number[];
  minStartPressure?: Array<number | undefined>;
  gate?: TunnelGateData;
  network: number;
}

export interface JunctionData {
  type: 'junction' | 'junction_gate';
  name: string;
  node: number;
  /** Tunnel indices of branch 1 and 2. */
  tunnels: [number, number];
  /** A slack in the node's balance at global overflow_cost (junc_slack / add_slack). */
  slack: boolean;
  minPressure?: Array<number | undefined>;
  /** junction_gate schedule per step: −2 both open, 0 output closed, 1 / 2 only that branch open. */
  schedule?: number[];
}

export interface InterlockData {
  name: string;
  tunnels: number[];
  /**
   * Hours the plants fed by a tunnel's network stand still after it closes, per tunnel:
   * forward_switch_time for tunnels connected to the interlock, backward_switch_time for
   * tunnels connected from it (Tarn's reading of "connected from it").
   */
  switchHours: number[];
  minOpen?: number[];
  maxOpen?: number[];
}

export interface Waterways {
  nodes: WaterwayNode[];
  tunnels: TunnelData[];
  junctions: JunctionData[];
  interlocks: InterlockData[];
  networks: number;
  /** Node index by `type.name` of each alias (and reservoir). */
  nodeOfKey: Map<string, number>;
  /** Plants whose intake or outlet is a network node. */
  plantNodes: Map<string, { intake?: number; outlet?: number }>;
}

type Attributes = Record<string, unknown>;
type Fail = (path: string, reason: string) => never;

const LEGACY = new Set(['junction', 'junction_gate']);
const NETWORK_TYPES = new Set(['tunnel', 'junction', 'junction_gate', 'creek_intake']);
const key = (ref: WaterwayRef) => `${ref.type}.${ref.name}`;

/** Union–find over node ids (`reservoir:R`, `start:T`, `end:T`, `junction:J`, `creek:C`). */
class Classes {
  private readonly parent = new Map<string, string>();
  find(id: string): string {
    if (!this.parent.has(id)) this.parent.set(id, id);
    let root = id;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(id, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
  ids(): string[] {
    return [...this.parent.keys()];
  }
}

/**
 * The model's waterways; undefined when it has no tunnel, junction or creek intake.
 * `fail` throws the model error of hydro-system (a path and a reason).
 */
export function readWaterways(model: ShopModelJson, overflowCost: number, fail: Fail): Waterways | undefined {
  const objects = (type: string) => Object.entries(model.model[type] ?? {}) as Array<[string, Attributes]>;
  if (![...NETWORK_TYPES].some((type) => objects(type).length)) return undefined;
  const connections = model.connections ?? [];
  const time = model.time!;
  const steps = stepStarts(time);
  const series = (a: Attributes, name: string) =>
    a[name] === undefined ? undefined : expandSeries(a[name] as Txy, time);
  const optional = (values: number[] | undefined) => values as Array<number | undefined> | undefined;

  const classes = new Classes();
  const aliasOf = new Map<string, string>(); // alias key → node id
  const alias = (ref: WaterwayRef, id: string) => {
    const k = key(ref);
    const known = aliasOf.get(k);
    if (known !== undefined && classes.find(known) !== classes.find(id)) {
      fail(`model.${ref.type}.${ref.name}`, 'is both the intake and the outlet of objects around it; split the tunnel');
    }
    aliasOf.set(k, id);
  };
  const tunnelNames = objects('tunnel').map(([name]) => name);
  const isType = (c: Connection, side: 'from' | 'to', type: string) =>
    (side === 'from' ? c.from_type : c.to_type) === type;

  // Tunnels and their ends.
  for (const name of tunnelNames) {
    classes.find(`start:${name}`);
    classes.find(`end:${name}`);
  }
  for (const c of connections) {
    if (isType(c, 'from', 'reservoir') && isType(c, 'to', 'tunnel'))
      classes.union(`reservoir:${c.from}`, `start:${c.to}`);
    else if (isType(c, 'from', 'tunnel') && isType(c, 'to', 'reservoir'))
      classes.union(`reservoir:${c.to}`, `end:${c.from}`);
    else if (isType(c, 'from', 'tunnel') && isType(c, 'to', 'tunnel')) classes.union(`end:${c.from}`, `start:${c.to}`);
    else if (isType(c, 'from', 'creek_intake') && isType(c, 'to', 'tunnel'))
      classes.union(`creek:${c.from}`, `start:${c.to}`);
    else if (isType(c, 'from', 'tunnel') && c.to_type !== 'interlock_constraint')
      alias({ type: 'tunnel', name: c.from }, `end:${c.from}`);
    else if (isType(c, 'to', 'tunnel') && c.from_type !== 'interlock_constraint')
      alias({ type: 'tunnel', name: c.to }, `start:${c.to}`);
  }
  for (const [name] of objects('creek_intake')) alias({ type: 'creek_intake', name }, `creek:${name}`);

  // Legacy junctions: node N, branch tunnels source1 → N and source2 → N.
  const junctionInputs = new Map<string, Array<{ ref: WaterwayRef; order: number }>>();
  const legacyObjects = [...LEGACY].flatMap((type) => objects(type).map(([name, a]) => ({ type, name, a })));
  for (const { type, name } of legacyObjects) {
    const id = `junction:${type}:${name}`;
    classes.find(id);
    alias({ type, name }, id);
    const inputs = connections
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => c.to_type === type && c.to === name)
      .map(({ c, i }) => ({ ref: { type: c.from_type, name: c.from }, order: c.order ?? i }))
      .sort((a, b) => a.order - b.order);
    if (inputs.length !== 2) fail(`model.${type}.${name}`, `has ${inputs.length} inputs; a junction joins two`);
    for (const input of inputs) {
      if (!['reservoir', 'creek_intake', 'junction', 'junction_gate'].includes(input.ref.type)) {
        fail(
          `model.${type}.${name}`,
          `input ${input.ref.type} ${input.ref.name}: Tarn joins reservoirs, creek intakes and junctions`,
        );
      }
    }
    junctionInputs.set(`${type}:${name}`, inputs);
    for (const c of connections) {
      if (c.from_type === type && c.from === name && c.to_type === 'reservoir') classes.union(id, `reservoir:${c.to}`);
    }
  }
  const sourceId = (ref: WaterwayRef) =>
    ref.type === 'reservoir'
      ? `reservoir:${ref.name}`
      : ref.type === 'creek_intake'
        ? `creek:${ref.name}`
        : `junction:${ref.type}:${ref.name}`;

  // Node classes → nodes.
  const reservoirNames = new Set(Object.keys(model.model.reservoir ?? {}));
  const members = new Map<string, string[]>();
  const ids = [
    ...classes.ids(),
    ...[...junctionInputs.values()].flatMap((inputs) => inputs.map((input) => sourceId(input.ref))),
  ];
  for (const id of new Set(ids)) {
    const root = classes.find(id);
    members.set(root, [...(members.get(root) ?? []), id]);
  }
  const nodes: WaterwayNode[] = [];
  const nodeOfId = new Map<string, number>();
  const taken = new Set<string>();
  for (const [root, ids_] of members) {
    const reservoirs = ids_.filter((id) => id.startsWith('reservoir:')).map((id) => id.slice('reservoir:'.length));
    const creeks = ids_.filter((id) => id.startsWith('creek:')).map((id) => id.slice('creek:'.length));
    if (reservoirs.length + creeks.length > 1) {
      fail(
        `model.reservoir.${reservoirs[0] ?? creeks[0]}`,
        `is joined to ${[...reservoirs, ...creeks].slice(1).join(', ')} without a tunnel`,
      );
    }
    for (const r of reservoirs) if (!reservoirNames.has(r)) fail(`connections`, `reservoir ${r} is not in the model`);
    const aliases = [...aliasOf].filter(([, id]) => classes.find(id) === root).map(([k]) => refOfKey(k));
    let node: WaterwayNode;
    if (reservoirs.length) {
      node = {
        ref: { type: 'reservoir', name: reservoirs[0] },
        kind: 'reservoir',
        reservoir: reservoirs[0],
        aliases,
        headAttribute: 'head',
        network: 0,
      };
    } else if (creeks.length) {
      const ref = { type: 'creek_intake', name: creeks[0] };
      node = { ref, kind: 'creek', aliases, headAttribute: 'pressure_height', network: 0 };
    } else {
      const ends = ids_.filter((id) => id.startsWith('end:')).map((id) => id.slice(4));
      const starts = ids_.filter((id) => id.startsWith('start:')).map((id) => id.slice(6));
      const junction = aliases.find((a) => LEGACY.has(a.type));
      const candidates: Array<[WaterwayRef, string]> = [
        ...(junction ? [[junction, 'pressure_height'] as [WaterwayRef, string]] : []),
        ...aliases.map((a): [WaterwayRef, string] => [a, 'end_pressure']),
        ...ends.map((name): [WaterwayRef, string] => [{ type: 'tunnel', name }, 'end_pressure']),
        ...starts.map((name): [WaterwayRef, string] => [{ type: 'tunnel', name: `${name}.start` }, 'pressure']),
      ];
      const [ref, headAttribute] = candidates.find(([r]) => !taken.has(key(r))) ?? candidates[0];
      node = { ref, kind: 'free', aliases, headAttribute, network: 0 };
    }
    taken.add(key(node.ref));
    for (const id of ids_) nodeOfId.set(id, nodes.length);
    nodes.push(node);
  }

  // Tunnels.
  const tunnels: TunnelData[] = objects('tunnel').map(([name, a]): TunnelData => {
    const path = `model.tunnel.${name}`;
    const lossFactor = a.loss_factor as number | undefined;
    if (lossFactor === undefined || !(lossFactor > 0)) fail(`${path}.loss_factor`, 'is required (> 0) to optimize');
    const num = (n: string) => a[n] as number | undefined;
    return {
      name,
      owner: { type: 'tunnel', name },
      from: nodeOfId.get(classes.find(`start:${name}`))!,
      to: nodeOfId.get(classes.find(`end:${name}`))!,
      lossFactor: lossFactor!,
      startHeight: num('start_height'),
      endHeight: num('end_height'),
      weirWidth: num('weir_width'),
      minFlow: optional(series(a, 'min_flow')),
      maxFlow: optional(series(a, 'max_flow')),
      minFlowPenaltyCost: series(a, 'min_flow_penalty_cost'),
      maxFlowPenaltyCost: series(a, 'max_flow_penalty_cost'),
      minStartPressure: optional(series(a, 'min_start_pressure')),
      gate: gateOf(a, series, steps.length),
      network: 0,
    };
  });
  const junctions: JunctionData[] = legacyObjects.map(({ type, name, a }): JunctionData => {
    const node = nodeOfId.get(classes.find(`junction:${type}:${name}`))!;
    const inputs = junctionInputs.get(`${type}:${name}`)!;
    const branch = (i: 0 | 1): number => {
      const lossFactor = a[`loss_factor_${i + 1}`] as number | undefined;
      if (lossFactor === undefined || !(lossFactor > 0))
        fail(`model.${type}.${name}.loss_factor_${i + 1}`, 'is required (> 0) to optimize');
      tunnels.push({
        name: `${name}#${i + 1}`,
        owner: { type, name },
        branch: (i + 1) as 1 | 2,
        from: nodeOfId.get(classes.find(sourceId(inputs[i].ref)))!,
        to: node,
        lossFactor: lossFactor!,
        network: 0,
      });
      return tunnels.length - 1;
    };
    const schedule = type === 'junction_gate' ? series(a, 'schedule') : undefined;
    return {
      type: type as JunctionData['type'],
      name,
      node,
      tunnels: [branch(0), branch(1)],
      slack: Number(a.junc_slack ?? a.add_slack ?? 0) !== 0,
      minPressure: optional(series(a, 'min_pressure')),
      schedule,
    };
  });
  // A junction gate's branches are gates fixed by its schedule (Tarn): open (1) or closed (0).
  for (const j of junctions) {
    if (!j.schedule) continue;
    j.tunnels.forEach((t, i) => {
      const open = j.schedule!.map((s) => (s === -2 || s === i + 1 ? 1 : 0));
      tunnels[t].gate = {
        continuous: false,
        initialOpening: 1,
        adjustmentCost: steps.map(() => 0),
        schedule: open,
        positions: [0, 1],
      };
    });
  }

  // Creek intakes.
  const reservoirs = model.model.reservoir ?? {};
  for (const node of nodes) {
    if (node.kind !== 'creek') continue;
    const name = node.ref.name;
    const a = (model.model.creek_intake?.[name] ?? {}) as Attributes;
    const path = `model.creek_intake.${name}`;
    const netHead = a.net_head as number | undefined;
    if (netHead === undefined) fail(`${path}.net_head`, 'is required to optimize');
    let inflow = series(a, 'inflow');
    if (!inflow) {
      const percentage = series(a, 'inflow_percentage');
      const reference = connections.find(
        (c) => c.from_type === 'reservoir' && c.to_type === 'creek_intake' && c.to === name,
      );
      const referenceInflow = reference
        ? series((reservoirs[reference.from] ?? {}) as Attributes, 'inflow')
        : undefined;
      inflow = steps.map((_, t) => ((percentage?.[t] ?? 0) / 100) * (referenceInflow?.[t] ?? 0));
    }
    const cap = a.max_inflow as number | undefined;
    const dynamic = series(a, 'max_inflow_dynamic');
    const available = inflow.map((q, t) => Math.max(0, Math.min(q, cap ?? Infinity, dynamic?.[t] ?? Infinity)));
    const cost = series(a, 'overflow_cost');
    node.creek = { name, netHead: netHead!, available, overflowCost: steps.map((_, t) => cost?.[t] ?? overflowCost) };
  }

  // Interlock constraints.
  const interlocks = objects('interlock_constraint').map(([name, a]): InterlockData => {
    const forward = (a.forward_switch_time as number | undefined) ?? 0;
    const backward = (a.backward_switch_time as number | undefined) ?? 0;
    const links = connections
      .filter(
        (c) =>
          (c.from_type === 'interlock_constraint' && c.from === name && c.to_type === 'tunnel') ||
          (c.to_type === 'interlock_constraint' && c.to === name && c.from_type === 'tunnel'),
      )
      .map((c) => ({
        tunnel: tunnels.findIndex(
          (t) => t.owner.type === 'tunnel' && t.name === (c.from_type === 'tunnel' ? c.from : c.to),
        ),
        hours: c.from_type === 'tunnel' ? forward : backward,
      }))
      .filter((link) => link.tunnel >= 0);
    const linked = links.map((link) => link.tunnel);
    return {
      name,
      tunnels: linked,
      switchHours: links.map((link) => link.hours),
      minOpen: series(a, 'min_open'),
      maxOpen: series(a, 'max_open'),
    };
  });

  const networks = numberNetworks(nodes, tunnels);
  const nodeOfKey = new Map<string, number>();
  nodes.forEach((node, i) => {
    nodeOfKey.set(key(node.ref), i);
    for (const a of node.aliases) nodeOfKey.set(key(a), i);
  });
  const plantNodes = new Map<string, { intake?: number; outlet?: number }>();
  for (const c of connections) {
    if (c.to_type === 'plant' && NETWORK_TYPES.has(c.from_type)) {
      const node = nodeOfKey.get(`${c.from_type}.${c.from}`);
      if (node !== undefined) plantNodes.set(c.to, { ...plantNodes.get(c.to), intake: node });
    }
    if (c.from_type === 'plant' && NETWORK_TYPES.has(c.to_type)) {
      const node = nodeOfKey.get(`${c.to_type}.${c.to}`);
      if (node !== undefined) plantNodes.set(c.from, { ...plantNodes.get(c.from), outlet: node });
    }
  }
  return { nodes, tunnels, junctions, interlocks, networks, nodeOfKey, plantNodes };
}

function refOfKey(k: string): WaterwayRef {
  const dot = k.indexOf('.');
  return { type: k.slice(0, dot), name: k.slice(dot + 1) };
}

function gateOf(
  a: Attributes,
  series: (a: Attributes, name: string) => number[] | undefined,
  stepCount: number,
): TunnelGateData | undefined {
  const curve = a.gate_opening_curve as Xy | undefined;
  const continuous = Number(a.continuous_gate ?? 0) === 1;
  const schedule = series(a, 'gate_opening_schedule');
  if (!curve && !continuous && !schedule) return undefined;
  const cost = series(a, 'gate_adjustment_cost');
  const initialPosition = a.initial_opening as number | undefined;
  return {
    curve,
    continuous,
    initialOpening: initialPosition === undefined ? 1 : openingAt(curve, initialPosition),
    adjustmentCost: cost ?? Array.from({ length: stepCount }, () => 0),
    schedule: schedule?.map((position) => openingAt(curve, position)),
    positions: curve ? [...new Set(curve.y)].sort((x, y) => x - y) : [0, 1],
  };
}

/** Numbers the connected networks 1, 2, ... (SHOP's network_no) on nodes and tunnels. */
function numberNetworks(nodes: WaterwayNode[], tunnels: TunnelData[]): number {
  const neighbours = nodes.map((): number[] => []);
  for (const t of tunnels) {
    neighbours[t.from].push(t.to);
    neighbours[t.to].push(t.from);
  }
  let count = 0;
  nodes.forEach((node, start) => {
    if (node.network) return;
    count++;
    const stack = [start];
    node.network = count;
    while (stack.length) {
      for (const next of neighbours[stack.pop()!]) {
        if (nodes[next].network) continue;
        nodes[next].network = count;
        stack.push(next);
      }
    }
  });
  for (const t of tunnels) t.network = nodes[t.from].network;
  return count;
}

/** What one iteration linearises the waterways at (IterationInput.waterways). */
export interface WaterwayPoint {
  /** [tunnel][t] m3/s: the flow Q|Q| is linearised at. */
  flow: number[][];
  /** [node][t] m: heads at the linearisation point (reservoir nodes: the level at `storage`). */
  head: number[][];
  /** [node][t] Mm3: reservoir nodes' storage at the end of the step, where level(V) is linearised. */
  storage: Array<number[] | undefined>;
  /** [tunnel][t]: a discrete gate's position index, fixed (incremental iterations); undefined: decided. */
  gatePosition?: Array<Array<number | undefined> | undefined>;
  /**
   * Head optimization of plants fed by a network: `coefficient · (H_node[step−1] − reference)` MW
   * added to the power of `step`, H a reservoir node's head (the intake follows the reservoirs).
   */
  headTerms?: Array<{
    plant: number;
    unit: number;
    step: number;
    node: number;
    coefficient: number;
    reference: number;
  }>;
}

/** Where the waterways' quantities are in the solution (ColumnIndex.waterways). */
export interface WaterwayColumns {
  /** [tunnel][t] m3/s */
  flow: number[][];
  /** [node][t] m; undefined where the head is a constant (a reservoir below a tunnel opening). */
  head: Array<Array<number | undefined>>;
  /** [node][t] m3/s spilled at a creek intake (own column; a spill gate's discharge otherwise). */
  creekSpill: Array<Array<number | undefined> | undefined>;
  /** [junction][t]: slack into / out of its balance (m3/s). */
  slack: Array<Array<[number, number]> | undefined>;
  /** Every costed column of the waterways, with its cost per unit and the objective part it belongs to. */
  costs: Array<{ column: number; cost: number; part: WaterwayCostPart }>;
  /** [tunnel][t][position]: discrete gates' position binaries. */
  gatePosition: Array<number[][] | undefined>;
  /** [tunnel][t]: a gate's opening where this iteration fixed it (schedule, kept position). */
  fixedOpening: Array<Array<number | undefined> | undefined>;
  /** [tunnel][t]: |y_t − y_{t−1}| of discrete gates with an adjustment cost. */
  adjustment: Array<Array<number | undefined> | undefined>;
}

export type WaterwayCostPart =
  'creek_spill_cost' | 'junction_slack_cost' | 'tunnel_flow_penalty' | 'gate_adjustment_cost';
