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
  /** A tunnel's outlet into a river: the water leaves at the opening, so the head is its end_height. */
  outletHeight?: number;
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
  if (![...NETWORK_TYPES].some((type) => Object.keys(model.model[type] ?? {}).length)) return undefined;
  const reader = new WaterwayReader(model, fail);
  reader.joinTunnelEnds();
  const junctionInputs = reader.joinJunctions();
  const { nodes, nodeOf } = reader.nodes();
  const tunnels = reader.tunnels(nodeOf);
  const junctions = reader.junctions(junctionInputs, nodeOf, tunnels);
  reader.creeks(nodes, overflowCost);
  const interlocks = reader.interlocks(tunnels);
  const networks = numberNetworks(nodes, tunnels);
  const nodeOfKey = new Map<string, number>();
  nodes.forEach((node, i) => {
    nodeOfKey.set(key(node.ref), i);
    for (const a of node.aliases) nodeOfKey.set(key(a), i);
  });
  const plantNodes = plantNodesOf(model.connections ?? [], nodeOfKey);
  return { nodes, tunnels, junctions, interlocks, networks, nodeOfKey, plantNodes };
}

type JunctionInputs = Map<string, Array<{ ref: WaterwayRef; order: number }>>;

/** Reads the waterways in steps; node ids are `reservoir:R`, `start:T`, `end:T`, `junction:type:J`, `creek:C`. */
class WaterwayReader {
  private readonly classes = new Classes();
  /** alias key → node id */
  private readonly aliasOf = new Map<string, string>();
  private readonly connections: Connection[];
  private readonly steps: string[];

  constructor(
    private readonly model: ShopModelJson,
    private readonly fail: Fail,
  ) {
    this.connections = model.connections ?? [];
    this.steps = stepStarts(model.time!);
  }

  private objects(type: string): Array<[string, Attributes]> {
    return Object.entries(this.model.model[type] ?? {}) as Array<[string, Attributes]>;
  }

  private series(a: Attributes, name: string): number[] | undefined {
    return a[name] === undefined ? undefined : expandSeries(a[name] as Txy, this.model.time!);
  }

  private optional(a: Attributes, name: string): Array<number | undefined> | undefined {
    return this.series(a, name);
  }

  private alias(ref: WaterwayRef, id: string): void {
    const k = key(ref);
    const known = this.aliasOf.get(k);
    if (known !== undefined && this.classes.find(known) !== this.classes.find(id)) {
      this.fail(
        `model.${ref.type}.${ref.name}`,
        'is both the intake and the outlet of objects around it; split the tunnel',
      );
    }
    this.aliasOf.set(k, id);
  }

  /** Tunnel ends joined to reservoirs, creeks and each other; the refs plants and gates use. */
  joinTunnelEnds(): void {
    const { classes } = this;
    for (const [name] of this.objects('tunnel')) [`start:${name}`, `end:${name}`].forEach((id) => classes.find(id));
    for (const c of this.connections) {
      const pair = `${c.from_type}>${c.to_type}`;
      if (pair === 'reservoir>tunnel') classes.union(`reservoir:${c.from}`, `start:${c.to}`);
      else if (pair === 'tunnel>reservoir') classes.union(`reservoir:${c.to}`, `end:${c.from}`);
      else if (pair === 'tunnel>tunnel') classes.union(`end:${c.from}`, `start:${c.to}`);
      else if (pair === 'creek_intake>tunnel') classes.union(`creek:${c.from}`, `start:${c.to}`);
      else if (c.from_type === 'tunnel' && c.to_type !== 'interlock_constraint') {
        this.alias({ type: 'tunnel', name: c.from }, `end:${c.from}`);
      } else if (c.to_type === 'tunnel' && c.from_type !== 'interlock_constraint') {
        this.alias({ type: 'tunnel', name: c.to }, `start:${c.to}`);
      }
    }
    for (const [name] of this.objects('creek_intake')) this.alias({ type: 'creek_intake', name }, `creek:${name}`);
  }

  /** Legacy junctions: a node each, its two inputs in `order`; an output reservoir joins the node. */
  joinJunctions(): JunctionInputs {
    const inputsOf: JunctionInputs = new Map();
    for (const type of LEGACY) {
      for (const [name] of this.objects(type)) {
        const id = `junction:${type}:${name}`;
        this.classes.find(id);
        this.alias({ type, name }, id);
        const inputs = this.connections
          .map((c, i) => ({ c, i }))
          .filter(({ c }) => c.to_type === type && c.to === name)
          .map(({ c, i }) => ({ ref: { type: c.from_type, name: c.from }, order: c.order ?? i }))
          .sort((a, b) => a.order - b.order);
        if (inputs.length !== 2) {
          this.fail(`model.${type}.${name}`, `has ${inputs.length} inputs; a junction joins two`);
        }
        for (const input of inputs) {
          if (!['reservoir', 'creek_intake', ...LEGACY].includes(input.ref.type)) {
            this.fail(
              `model.${type}.${name}`,
              `input ${input.ref.type} ${input.ref.name}: Tarn joins reservoirs, creek intakes and junctions`,
            );
          }
          this.classes.find(sourceId(input.ref));
        }
        inputsOf.set(`${type}:${name}`, inputs);
        for (const c of this.connections) {
          if (c.from_type === type && c.from === name && c.to_type === 'reservoir') {
            this.classes.union(id, `reservoir:${c.to}`);
          }
        }
      }
    }
    return inputsOf;
  }

  /** One node per class of joined ids, named after a reservoir, creek, junction or tunnel end. */
  nodes(): { nodes: WaterwayNode[]; nodeOf: (id: string) => number } {
    const { classes } = this;
    const members = new Map<string, string[]>();
    for (const id of classes.ids()) {
      const root = classes.find(id);
      members.set(root, [...(members.get(root) ?? []), id]);
    }
    const nodes: WaterwayNode[] = [];
    const nodeOfId = new Map<string, number>();
    const taken = new Set<string>();
    for (const [root, ids] of members) {
      const node = this.node(root, ids, taken);
      taken.add(key(node.ref));
      for (const id of ids) nodeOfId.set(id, nodes.length);
      nodes.push(node);
    }
    return { nodes, nodeOf: (id: string) => nodeOfId.get(classes.find(id))! };
  }

  private node(root: string, ids: string[], taken: Set<string>): WaterwayNode {
    const named = (prefix: string) => ids.filter((id) => id.startsWith(prefix)).map((id) => id.slice(prefix.length));
    const reservoirs = named('reservoir:');
    const creeks = named('creek:');
    if (reservoirs.length + creeks.length > 1) {
      this.fail(
        `model.reservoir.${reservoirs[0] ?? creeks[0]}`,
        `is joined to ${[...reservoirs, ...creeks].slice(1).join(', ')} without a tunnel`,
      );
    }
    for (const r of reservoirs) {
      if (!this.model.model.reservoir?.[r]) this.fail('connections', `reservoir ${r} is not in the model`);
    }
    const aliases = [...this.aliasOf].filter(([, id]) => this.classes.find(id) === root).map(([k]) => refOfKey(k));
    if (reservoirs.length) {
      const ref = { type: 'reservoir', name: reservoirs[0] };
      return { ref, kind: 'reservoir', reservoir: reservoirs[0], aliases, headAttribute: 'head', network: 0 };
    }
    if (creeks.length) {
      const ref = { type: 'creek_intake', name: creeks[0] };
      return { ref, kind: 'creek', aliases, headAttribute: 'pressure_height', network: 0 };
    }
    const junction = aliases.find((a) => LEGACY.has(a.type));
    const candidates: Array<[WaterwayRef, string]> = [
      ...(junction ? [[junction, 'pressure_height'] as [WaterwayRef, string]] : []),
      ...aliases.map((a): [WaterwayRef, string] => [a, 'end_pressure']),
      ...named('end:').map((name): [WaterwayRef, string] => [{ type: 'tunnel', name }, 'end_pressure']),
      ...named('start:').map((name): [WaterwayRef, string] => [{ type: 'tunnel', name: `${name}.start` }, 'pressure']),
    ];
    const [ref, headAttribute] = candidates.find(([r]) => !taken.has(key(r))) ?? candidates[0];
    const outlet = this.connections.find(
      (c) => c.from_type === 'tunnel' && c.to_type === 'river' && named('end:').includes(c.from),
    );
    const outletHeight = outlet ? (this.model.model.tunnel?.[outlet.from] as Attributes).end_height : undefined;
    return {
      ref,
      kind: 'free',
      aliases,
      headAttribute,
      network: 0,
      ...(typeof outletHeight === 'number' ? { outletHeight } : {}),
    };
  }

  tunnels(nodeOf: (id: string) => number): TunnelData[] {
    return this.objects('tunnel').map(([name, a]): TunnelData => {
      const lossFactor = a.loss_factor as number | undefined;
      if (lossFactor === undefined || !(lossFactor > 0)) {
        this.fail(`model.tunnel.${name}.loss_factor`, 'is required (> 0) to optimize');
      }
      const num = (n: string) => a[n] as number | undefined;
      // A pressurised tunnel has no travel time: water entering at one end pushes the same
      // volume out of the other in the same instant, and the flow is set by the heads at both
      // ends. A delay on the water leaving would break that relation (the end node would see
      // water the head-loss row did not send), so Tarn rejects a delay, as SHOP's pages call
      // it legacy and say to use a river (modelling-2.md §2.1). 0 is no delay.
      const delay = a.time_delay;
      if (delay !== undefined && Number(delay) !== 0) {
        this.fail(
          `model.tunnel.${name}.time_delay`,
          'a tunnel carries water under pressure without delay (legacy attribute); model the delay with a river (time_delay_const)',
        );
      }
      if (num('weir_width') !== undefined && num('start_height') === undefined) {
        this.fail(`model.tunnel.${name}.start_height`, 'is required with weir_width (the weir’s crest)');
      }
      return {
        name,
        owner: { type: 'tunnel', name },
        from: nodeOf(`start:${name}`),
        to: nodeOf(`end:${name}`),
        lossFactor: lossFactor!,
        startHeight: num('start_height'),
        endHeight: num('end_height'),
        weirWidth: num('weir_width'),
        minFlow: this.optional(a, 'min_flow'),
        maxFlow: this.optional(a, 'max_flow'),
        minFlowPenaltyCost: this.series(a, 'min_flow_penalty_cost'),
        maxFlowPenaltyCost: this.series(a, 'max_flow_penalty_cost'),
        minStartPressure: this.optional(a, 'min_start_pressure'),
        gate: gateOf(a, (x, n) => this.series(x, n), this.steps.length),
        network: 0,
      };
    });
  }

  /** Junctions, their branch tunnels appended to `tunnels` (a junction gate's gated by its schedule). */
  junctions(junctionInputs: JunctionInputs, nodeOf: (id: string) => number, tunnels: TunnelData[]): JunctionData[] {
    return [...LEGACY].flatMap((type) =>
      this.objects(type).map(([name, a]): JunctionData => {
        const node = nodeOf(`junction:${type}:${name}`);
        const inputs = junctionInputs.get(`${type}:${name}`)!;
        const schedule = type === 'junction_gate' ? this.series(a, 'schedule') : undefined;
        const branch = (i: 0 | 1): number => {
          const lossFactor = a[`loss_factor_${i + 1}`] as number | undefined;
          if (lossFactor === undefined || !(lossFactor > 0)) {
            this.fail(`model.${type}.${name}.loss_factor_${i + 1}`, 'is required (> 0) to optimize');
          }
          // A junction gate's branch is a gate fixed by its schedule (Tarn): open (1) or closed (0).
          const open = schedule?.map((s) => (s === -2 || s === i + 1 ? 1 : 0));
          tunnels.push({
            name: `${name}#${i + 1}`,
            owner: { type, name },
            branch: (i + 1) as 1 | 2,
            from: nodeOf(sourceId(inputs[i].ref)),
            to: node,
            lossFactor: lossFactor!,
            network: 0,
            ...(open
              ? {
                  gate: {
                    continuous: false,
                    initialOpening: 1,
                    adjustmentCost: this.steps.map(() => 0),
                    schedule: open,
                    positions: [0, 1],
                  },
                }
              : {}),
          });
          return tunnels.length - 1;
        };
        return {
          type: type as JunctionData['type'],
          name,
          node,
          tunnels: [branch(0), branch(1)],
          slack: Number(a.junc_slack ?? a.add_slack ?? 0) !== 0,
          minPressure: this.optional(a, 'min_pressure'),
          schedule,
        };
      }),
    );
  }

  /** Creek intakes' water: inflow (else inflow_percentage of the reference reservoir's), capped. */
  creeks(nodes: WaterwayNode[], overflowCost: number): void {
    for (const node of nodes) {
      if (node.kind !== 'creek') continue;
      const name = node.ref.name;
      const a = (this.model.model.creek_intake?.[name] ?? {}) as Attributes;
      const netHead = a.net_head as number | undefined;
      if (netHead === undefined) this.fail(`model.creek_intake.${name}.net_head`, 'is required to optimize');
      let inflow = this.series(a, 'inflow');
      if (!inflow) {
        const percentage = this.series(a, 'inflow_percentage');
        const reference = this.connections.find(
          (c) => c.from_type === 'reservoir' && c.to_type === 'creek_intake' && c.to === name,
        );
        const referenceAttributes = (reference ? this.model.model.reservoir?.[reference.from] : undefined) ?? {};
        const referenceInflow = this.series(referenceAttributes as Attributes, 'inflow');
        inflow = this.steps.map((_, t) => ((percentage?.[t] ?? 0) / 100) * (referenceInflow?.[t] ?? 0));
      }
      const cap = a.max_inflow as number | undefined;
      const dynamic = this.series(a, 'max_inflow_dynamic');
      const available = inflow.map((q, t) => Math.max(0, Math.min(q, cap ?? Infinity, dynamic?.[t] ?? Infinity)));
      const cost = this.series(a, 'overflow_cost');
      const overflow = this.steps.map((_, t) => cost?.[t] ?? overflowCost);
      node.creek = { name, netHead: netHead!, available, overflowCost: overflow };
    }
  }

  interlocks(tunnels: TunnelData[]): InterlockData[] {
    return this.objects('interlock_constraint').map(([name, a]): InterlockData => {
      const forward = (a.forward_switch_time as number | undefined) ?? 0;
      const backward = (a.backward_switch_time as number | undefined) ?? 0;
      const links = this.connections
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
      return {
        name,
        tunnels: links.map((link) => link.tunnel),
        switchHours: links.map((link) => link.hours),
        minOpen: this.series(a, 'min_open'),
        maxOpen: this.series(a, 'max_open'),
      };
    });
  }
}

const sourceId = (ref: WaterwayRef) =>
  ref.type === 'reservoir'
    ? `reservoir:${ref.name}`
    : ref.type === 'creek_intake'
      ? `creek:${ref.name}`
      : `junction:${ref.type}:${ref.name}`;

/** Plants whose intake (from) or outlet (to) is a network node. */
function plantNodesOf(
  connections: Connection[],
  nodeOfKey: Map<string, number>,
): Map<string, { intake?: number; outlet?: number }> {
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
  return plantNodes;
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
