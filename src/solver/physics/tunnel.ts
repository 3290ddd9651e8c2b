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
 * The tangent of Q·|Q| at q0 (|q0| raised to MIN_TANGENT_FLOW): `Q|Q| ≈ slope·Q + constant`,
 * slope = 2|q0|, constant = −q0|q0|. Q|Q| is convex for Q > 0 and concave for Q < 0, so the
 * tangent lies below it on the side of q0's sign.
 */
export function flowSquaredTangent(q0: number): { slope: number; constant: number } {
  const magnitude = Math.max(Math.abs(q0), MIN_TANGENT_FLOW);
  const q = q0 < 0 ? -magnitude : magnitude;
  return { slope: 2 * magnitude, constant: -q * magnitude };
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
 * The steady state of a tunnel network: the heads of its free nodes such that every free
 * node's flows balance (inflow + Σ tunnels in − Σ tunnels out = 0, a creek node spilling what
 * it cannot take at its maxHead), and every tunnel's flow from its end heads.
 *
 * Each free node's imbalance falls monotonically as its head rises, so a node-by-node sweep
 * (Gauss–Seidel) with a bracketing root search per node converges for any start; this is
 * the robust form of the Newton solve the spec names. A free node whose tunnels are all
 * closed or fixed keeps its start head (`initial`, else the mean of the fixed heads).
 */
export function solveNetwork(
  nodes: readonly NetworkNode[],
  branches: readonly NetworkBranch[],
  initial?: readonly number[],
): NetworkState {
  const fixed = nodes.filter((n) => n.fixedHead !== undefined).map((n) => n.fixedHead!);
  const mean = fixed.length ? fixed.reduce((s, h) => s + h, 0) / fixed.length : 0;
  const heads = nodes.map((n, i) => n.fixedHead ?? initial?.[i] ?? n.maxHead ?? mean);
  const spill = nodes.map(() => 0);
  const incident = nodes.map((_, i) => branches.filter((b) => b.from === i || b.to === i));
  const free = nodes.map((n, i) => (n.fixedHead === undefined ? i : -1)).filter((i) => i >= 0);
  const imbalance = (i: number, h: number) => {
    const saved = heads[i];
    heads[i] = h;
    let r = nodes[i].inflow;
    for (const b of incident[i]) {
      const q = branchFlow(b, heads, nodes);
      if (b.to === i) r += q;
      if (b.from === i) r -= q;
    }
    heads[i] = saved;
    return r;
  };
  for (let sweep = 0; sweep < 500; sweep++) {
    let change = 0;
    for (const i of free) {
      const responsive = incident[i].some((b) => b.fixedFlow === undefined && b.opening > 0 && b.from !== b.to);
      if (!responsive) continue;
      const cap = nodes[i].maxHead;
      let h: number;
      if (cap !== undefined && imbalance(i, cap) >= 0) {
        h = cap;
        spill[i] = imbalance(i, cap);
      } else {
        h = rootOfDecreasing((x) => imbalance(i, x), heads[i], cap);
        spill[i] = 0;
      }
      change = Math.max(change, Math.abs(h - heads[i]));
      heads[i] = h;
    }
    if (change < 1e-10) break;
  }
  return { heads, flows: branches.map((b) => branchFlow(b, heads, nodes)), spill };
}

/** The root of a decreasing function, bracketed outward from `guess` (at most `cap`). */
function rootOfDecreasing(f: (x: number) => number, guess: number, cap?: number): number {
  let lo = cap === undefined ? guess : Math.min(guess, cap);
  let hi = lo;
  let step = 1;
  let fLo = f(lo);
  let fHi = fLo;
  if (fLo === 0) return lo;
  if (fLo < 0) {
    for (let n = 0; n < 200 && fLo < 0; n++) {
      hi = lo;
      fHi = fLo;
      lo -= step;
      step *= 2;
      fLo = f(lo);
    }
  } else {
    for (let n = 0; n < 200 && fHi > 0; n++) {
      lo = hi;
      fLo = fHi;
      hi += step;
      step *= 2;
      fHi = f(hi);
    }
  }
  if (fLo < 0 || fHi > 0) return guess;
  for (let n = 0; n < 200 && hi - lo > 1e-12 * Math.max(1, Math.abs(hi)); n++) {
    const mid = 0.5 * (lo + hi);
    const value = f(mid);
    if (value === 0) return mid;
    if (value > 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
