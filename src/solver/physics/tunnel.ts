/**
 * Tunnel physics (modelling-2.md §2.1): pressurised flow with a quadratic head loss, its
 * linearisations for the LP, gate openings, and the steady state of a tunnel network.
 *
 * Units: heads in m above sea level, flows in m3/s, loss factors k in s²/m⁵ (at full opening),
 * openings y in [0, 1] (the factor of the gate opening curve).
 *
 *   H_a − H_b = (k/y)·Q·|Q|        (Q positive from a to b; y = 0: no flow)
 */

/** The smallest |Q⁰| the tangent of Q|Q| is taken at (Tarn: 1 m3/s, so the slope is never 0). */
export const MIN_TANGENT_FLOW = 1;

/** Head loss (m) of flow q through a tunnel with loss factor k at opening y. */
export function tunnelHeadLoss(q: number, k: number, opening = 1): number {
  if (opening <= 0) return q === 0 ? 0 : Math.sign(q) * Infinity;
  return (k / opening) * q * Math.abs(q);
}

/** Flow (m3/s) driven by the head difference dH = H_a − H_b: sign(dH)·sqrt(|dH|·y/k). */
export function tunnelFlow(dH: number, k: number, opening = 1): number {
  if (opening <= 0) return 0;
  if (k <= 0) throw new RangeError('tunnel loss factor must be positive');
  return Math.sign(dH) * Math.sqrt((Math.abs(dH) * opening) / k);
}

/**
 * The linearisation of Q·|Q| at the previous flow q0: `Q|Q| ≈ slope·Q + constant`. For |q0| ≥
 * MIN_TANGENT_FLOW the tangent, slope 2|q0|, constant −q0|q0| (exact at q0; Q|Q| is convex for
 * Q > 0 and concave for Q < 0). Below it the chord through 0 and ±MIN_TANGENT_FLOW, slope
 * MIN_TANGENT_FLOW, constant 0 (Tarn): the tangent at a raised |q0| would say that a still tunnel
 * carries MIN_TANGENT_FLOW/2 with no head difference, which a small reservoir turns into metres.
 */
export function flowSquaredTangent(q0: number): { slope: number; constant: number } {
  if (Math.abs(q0) < MIN_TANGENT_FLOW) return { slope: MIN_TANGENT_FLOW, constant: 0 };
  return { slope: 2 * Math.abs(q0), constant: -q0 * Math.abs(q0) };
}

/** The smallest |ΔH⁰| (m) the root is linearised at (a steeper tangent says little). */
export const MIN_ROOT_HEAD = 0.01;

/**
 * The tangent of sqrt(x/k) at x0 = |ΔH⁰| (raised to MIN_ROOT_HEAD): `sqrt(x/k) ≈ constant +
 * slope·x`. sqrt is concave, so the tangent lies above it: a relaxation of the flow limit.
 */
export function rootTangent(x0: number, k: number): { slope: number; constant: number } {
  const x = Math.max(Math.abs(x0), MIN_ROOT_HEAD);
  const root = Math.sqrt(x / k);
  const slope = 1 / (2 * Math.sqrt(k * x));
  return { slope, constant: root - slope * x };
}

/** Opening y (0..1) that lets q through at head difference dH: k·q²/|dH|, clipped. */
export function gateOpening(q: number, dH: number, k: number): number {
  if (Math.abs(q) < 1e-9) return 0;
  if (Math.abs(dH) < 1e-12) return 1;
  return Math.min(1, Math.max(0, (k * q * q) / Math.abs(dH)));
}

/** The opening factor (0..1) of a gate at `position`, on its opening curve (linear, clamped). */
export function openingAt(curve: { x: number[]; y: number[] } | undefined, position: number): number {
  if (!curve || !curve.x.length) return Math.min(1, Math.max(0, position));
  const { x, y } = curve;
  if (position <= x[0]) return y[0];
  for (let i = 1; i < x.length; i++) {
    if (position <= x[i]) return y[i - 1] + ((y[i] - y[i - 1]) * (position - x[i - 1])) / (x[i] - x[i - 1]);
  }
  return y[y.length - 1];
}

/** A node of a tunnel network for `solveNetwork`. */
export interface NetworkNode {
  /** A reservoir's level (m): the node's head is given. Undefined: a free node. */
  fixedHead?: number;
  /** m3/s entering the node from outside the network (plant outlets, creek inflow); negative leaves (plant intakes). */
  inflow: number;
  /** A creek intake's surface (net_head): the head cannot rise above it; the excess spills. */
  maxHead?: number;
}

/** A tunnel of a network for `solveNetwork`. */
export interface NetworkBranch {
  from: number;
  to: number;
  k: number;
  /** 0..1; 0 closes the tunnel. */
  opening: number;
  /** A throttling gate's flow, given (the head loss then follows the flow). */
  fixedFlow?: number;
  /** Bottom of the openings (m), for reservoir ends: water meets max(level, height); below it a reservoir delivers nothing. */
  startHeight?: number;
  endHeight?: number;
}

export interface NetworkState {
  heads: number[];
  flows: number[];
  /** m3/s spilled at creek nodes (maxHead reached), 0 elsewhere. */
  spill: number[];
}

/** A branch's flow at the given heads, with the opening-height rules at reservoir ends. */
export function branchFlow(branch: NetworkBranch, heads: readonly number[], nodes: readonly NetworkNode[]): number {
  if (branch.fixedFlow !== undefined) return branch.fixedFlow;
  const hFrom = heads[branch.from];
  const hTo = heads[branch.to];
  const startFloor = nodes[branch.from].fixedHead !== undefined ? branch.startHeight : undefined;
  const endFloor = nodes[branch.to].fixedHead !== undefined ? branch.endHeight : undefined;
  const a = startFloor === undefined ? hFrom : Math.max(hFrom, startFloor);
  const b = endFloor === undefined ? hTo : Math.max(hTo, endFloor);
  const q = tunnelFlow(a - b, branch.k, branch.opening);
  if (q > 0 && startFloor !== undefined && hFrom < startFloor) return 0;
  if (q < 0 && endFloor !== undefined && hTo < endFloor) return 0;
  return q;
}

/**
 * The steady state of a tunnel network: the heads of its free nodes and the tunnels' flows
 * such that every tunnel's head loss matches its flow and every free node's flows balance
 * (inflow + Σ tunnels in − Σ tunnels out = 0); a creek node at its maxHead spills the excess.
 *
 * Newton's method on flows and heads together (the "global gradient" form of network
 * solvers): rows `H_a − H_b − (k/y)·Q|Q| = 0` per tunnel and the balances per free node, with
 * a backtracking step. The loss derivative 2(k/y)|Q| is kept ≥ 1e-6 so a still tunnel does not
 * make the system singular. Tunnels a reservoir below its opening cannot feed, and creeks
 * above their surface, are settled by an active set around it. A free node whose tunnels are
 * all closed or fixed keeps its start head (`initial`, else the mean of the fixed heads).
 */
export function solveNetwork(
  nodes: readonly NetworkNode[],
  branches: readonly NetworkBranch[],
  initial?: readonly number[],
): NetworkState {
  const fixedHeads = nodes.filter((n) => n.fixedHead !== undefined).map((n) => n.fixedHead!);
  const mean = fixedHeads.length ? fixedHeads.reduce((s, h) => s + h, 0) / fixedHeads.length : 0;
  const heads = nodes.map((n, i) => n.fixedHead ?? initial?.[i] ?? n.maxHead ?? mean);
  const capped = new Set<number>(); // creek nodes held at their maxHead
  const blocked = new Set<number>(); // tunnels a reservoir below its opening cannot feed
  let flows = branches.map((b) => (b.fixedFlow !== undefined ? b.fixedFlow : 0));
  for (let round = 0; round < 2 * (nodes.length + branches.length) + 2; round++) {
    flows = newtonSolve(nodes, branches, heads, flows, capped, blocked);
    let changed = false;
    nodes.forEach((node, i) => {
      if (node.maxHead === undefined || node.fixedHead !== undefined) return;
      if (!capped.has(i) && heads[i] > node.maxHead + 1e-9) {
        capped.add(i);
        changed = true;
      } else if (capped.has(i) && balanceAt(i, nodes, branches, flows) < -1e-9) {
        capped.delete(i);
        changed = true;
      }
    });
    branches.forEach((b, j) => {
      if (b.fixedFlow !== undefined || b.opening <= 0) return;
      const wouldFlow = branchFlow(b, heads, nodes);
      const isBlocked = blocked.has(j);
      const forbidden = forbiddenDirection(b, heads, nodes);
      if (!isBlocked && forbidden !== 0 && Math.sign(flows[j]) === forbidden && Math.abs(flows[j]) > 1e-12) {
        blocked.add(j);
        changed = true;
      } else if (isBlocked && (forbidden === 0 || Math.sign(wouldFlow) !== forbidden) && wouldFlow !== 0) {
        blocked.delete(j);
        changed = true;
      }
    });
    if (!changed) break;
  }
  const spill = nodes.map((_, i) => (capped.has(i) ? Math.max(0, balanceAt(i, nodes, branches, flows)) : 0));
  return { heads, flows, spill };
}

/** +1: a reservoir at the start is below the opening (no flow out of it); −1: at the end; 0: none. */
function forbiddenDirection(b: NetworkBranch, heads: readonly number[], nodes: readonly NetworkNode[]): number {
  if (nodes[b.from].fixedHead !== undefined && b.startHeight !== undefined && heads[b.from] < b.startHeight) return 1;
  if (nodes[b.to].fixedHead !== undefined && b.endHeight !== undefined && heads[b.to] < b.endHeight) return -1;
  return 0;
}

function balanceAt(i: number, nodes: readonly NetworkNode[], branches: readonly NetworkBranch[], flows: number[]) {
  let r = nodes[i].inflow;
  branches.forEach((b, j) => {
    if (b.to === i) r += flows[j];
    if (b.from === i) r -= flows[j];
  });
  return r;
}

/** Newton iterations for the flows and the free heads (updated in place) at a given active set. */
function newtonSolve(
  nodes: readonly NetworkNode[],
  branches: readonly NetworkBranch[],
  heads: number[],
  start: number[],
  capped: ReadonlySet<number>,
  blocked: ReadonlySet<number>,
): number[] {
  const isFixed = (i: number) => nodes[i].fixedHead !== undefined || capped.has(i);
  nodes.forEach((node, i) => {
    if (capped.has(i)) heads[i] = node.maxHead!;
  });
  const stiff = (j: number) => branches[j].fixedFlow !== undefined || branches[j].opening <= 0 || blocked.has(j);
  // Free nodes with a tunnel whose flow follows the heads are unknowns; the others keep their head.
  const unknown = nodes
    .map((_, i) => i)
    .filter(
      (i) => !isFixed(i) && branches.some((b, j) => !stiff(j) && b.from !== b.to && (b.from === i || b.to === i)),
    );
  const position = new Map(unknown.map((i, k) => [i, branches.length + k]));
  const m = branches.length;
  const size = m + unknown.length;
  const flows = branches.map((b, j) => (b.fixedFlow !== undefined ? b.fixedFlow : stiff(j) ? 0 : start[j]));
  const endHeads = (b: NetworkBranch) => {
    const a =
      nodes[b.from].fixedHead !== undefined && b.startHeight !== undefined
        ? Math.max(heads[b.from], b.startHeight)
        : heads[b.from];
    const c =
      nodes[b.to].fixedHead !== undefined && b.endHeight !== undefined
        ? Math.max(heads[b.to], b.endHeight)
        : heads[b.to];
    return a - c;
  };
  const residual = (): number[] => {
    const r = new Array<number>(size).fill(0);
    branches.forEach((b, j) => {
      r[j] = stiff(j) ? 0 : endHeads(b) - (b.k / b.opening) * flows[j] * Math.abs(flows[j]);
    });
    unknown.forEach((i, k) => (r[m + k] = balanceAt(i, nodes, branches, flows)));
    return r;
  };
  const norm = (r: number[]) => Math.sqrt(r.reduce((s, v) => s + v * v, 0));
  let r = residual();
  for (let iteration = 0; iteration < 100 && norm(r) > 1e-11; iteration++) {
    const J = jacobian(branches, flows, unknown, position, stiff);
    const step = solveLinear(
      J,
      r.map((v) => -v),
    );
    if (!step) break;
    const before = norm(r);
    const savedFlows = [...flows];
    const savedHeads = unknown.map((i) => heads[i]);
    let scale = 1;
    for (let tries = 0; tries < 30; tries++) {
      branches.forEach((_, j) => {
        if (!stiff(j)) flows[j] = savedFlows[j] + scale * step[j];
      });
      unknown.forEach((i, k) => (heads[i] = savedHeads[k] + scale * step[m + k]));
      r = residual();
      if (norm(r) < before) break;
      scale /= 2;
    }
  }
  return flows;
}

/** The Newton matrix: tunnel rows (∂/∂Q, ∂/∂H) over the flows and free heads, then the balance rows. */
function jacobian(
  branches: readonly NetworkBranch[],
  flows: number[],
  unknown: number[],
  position: Map<number, number>,
  stiff: (j: number) => boolean,
): number[][] {
  const m = branches.length;
  const size = m + unknown.length;
  const J = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  branches.forEach((b, j) => {
    if (stiff(j)) {
      J[j][j] = 1;
      return;
    }
    J[j][j] = -Math.max(2 * (b.k / b.opening) * Math.abs(flows[j]), 1e-6);
    const pf = position.get(b.from);
    const pt = position.get(b.to);
    if (pf !== undefined) J[j][pf] += 1;
    if (pt !== undefined) J[j][pt] -= 1;
  });
  unknown.forEach((i, k) => {
    branches.forEach((b, j) => {
      if (stiff(j)) return;
      if (b.to === i) J[m + k][j] += 1;
      if (b.from === i) J[m + k][j] -= 1;
    });
  });
  return J;
}

/** Solves A·x = b by Gaussian elimination with partial pivoting; undefined when singular. */
function solveLinear(A: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const a = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(a[i][c]) > Math.abs(a[pivot][c])) pivot = i;
    if (Math.abs(a[pivot][c]) < 1e-300) return undefined;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let i = c + 1; i < n; i++) {
      const f = a[i][c] / a[c][c];
      if (f === 0) continue;
      for (let k = c; k <= n; k++) a[i][k] -= f * a[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = a[i][n];
    for (let k = i + 1; k < n; k++) s -= a[i][k] * x[k];
    x[i] = s / a[i][i];
  }
  return x;
}
