/**
 * Cuts (modelling-2.md §5): the future income c of a cut group's reservoirs, bounded by every
 * cut k of a price level, `c ≤ rhs_k + Σ_i WV_ik·(V_iT − Vref_ik) + Σ_j IC_jk·I_j`, maximised.
 * Written here as `c ≤ K_k + Σ_i a_ik·V_iT` with the constant
 * `K_k = rhs_k − Σ_i a_ik·Vref_ik + Σ_j IC_jk·I_j` and the coefficients `a_ik = WV_ik`.
 *
 * Price-dependent cuts: one set per price level; the mean sale price p̄ over the last 168 h
 * (the whole horizon when shorter) picks the nearest levels p_lo ≤ p̄ ≤ p_hi with
 * `w_hi = (p̄ − p_lo)/(p_hi − p_lo)`, `w_lo = 1 − w_hi`; outside the range the nearest level
 * alone. Pure functions.
 */

/** One price level's cuts over the group's reservoirs. */
export interface CutLevel {
  /** The price level (`ref`). */
  price: number;
  /** K_k per cut (currency). */
  constant: number[];
  /** a_ik, [reservoir of the group][cut] (currency/Mm3). */
  coefficients: number[][];
}

/** A level used in the objective and its weight (1 alone, or w_lo and w_hi). */
export interface WeightedLevel {
  level: number;
  weight: number;
}

/** The hours of the window that cut weights and inflow terms look at (doc). */
export const CUT_WINDOW_HOURS = 168;

/** cut_k(V) for every cut of a level. */
export function cutValues(level: CutLevel, volumes: readonly number[]): number[] {
  return level.constant.map((constant, k) =>
    level.coefficients.reduce((sum, coefficients, i) => sum + coefficients[k] * volumes[i], constant),
  );
}

/** min_k cut_k(V) and the (first) cut that attains it, 0-based. */
export function bindingCut(level: CutLevel, volumes: readonly number[]): { value: number; cut: number } {
  const values = cutValues(level, volumes);
  let cut = 0;
  values.forEach((value, k) => {
    if (value < values[cut]) cut = k;
  });
  return { value: values[cut], cut };
}

/**
 * The levels the mean price `mean` weighs (levels sorted by price): the two around it, or the
 * nearest alone outside their range (or exactly on one).
 */
export function priceWeights(prices: readonly number[], mean: number): WeightedLevel[] {
  if (prices.length === 0) return [];
  if (mean <= prices[0]) return [{ level: 0, weight: 1 }];
  const top = prices.length - 1;
  if (mean >= prices[top]) return [{ level: top, weight: 1 }];
  let hi = 1;
  while (prices[hi] < mean) hi++;
  if (prices[hi] === mean) return [{ level: hi, weight: 1 }];
  const wHi = (mean - prices[hi - 1]) / (prices[hi] - prices[hi - 1]);
  return [
    { level: hi - 1, weight: 1 - wHi },
    { level: hi, weight: wHi },
  ];
}

/** Hour-weighted mean of a per-step series over the last `window` hours (all when the horizon is shorter). */
export function windowMean(hours: readonly number[], values: readonly number[], window = CUT_WINDOW_HOURS): number {
  let weight = 0;
  let sum = 0;
  for (let t = hours.length - 1; t >= 0 && weight < window; t--) {
    const h = Math.min(hours[t], window - weight);
    weight += h;
    sum += h * values[t];
  }
  return weight > 0 ? sum / weight : 0;
}

/**
 * The inflow (Mm3) of a per-step series (m3/s) over the last `window` hours, scaled by
 * window/horizon hours when the horizon is shorter (doc).
 */
export function windowInflow(hours: readonly number[], inflow: readonly number[], window = CUT_WINDOW_HOURS): number {
  // The mean flow over the window (or the whole, shorter horizon) over `window` hours.
  return windowMean(hours, inflow, window) * 0.0036 * window;
}

/** The value of the group's future income at volumes `V` (currency): Σ w·min_k cut_k(V). */
export function cutGroupValue(
  levels: readonly CutLevel[],
  weights: readonly WeightedLevel[],
  volumes: number[],
): number {
  return weights.reduce((sum, { level, weight }) => sum + weight * bindingCut(levels[level], volumes).value, 0);
}
