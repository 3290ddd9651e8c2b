/**
 * A weir at a tunnel's entrance (tunnel `weir_width`, modelling-2.md §2.1): the water entering
 * the tunnel falls over a crest at the tunnel's `start_height`, so the inflow is capped by the
 * head above the crest:
 *
 *   q ≤ C·w·h^1.5,   h = upstream level − start_height (no flow for h ≤ 0)
 *
 * SHOP's pages name the weir and nothing more. Tarn takes the broad-crested weir at critical
 * depth, C = (2/3)^1.5·sqrt(g) = 1.705 m^0.5/s (the textbook free-overflow coefficient, losses
 * neglected), with g = 9.81 m/s².
 */

/** m^0.5/s: (2/3)^1.5·sqrt(9.81). */
export const WEIR_COEFFICIENT = (2 / 3) ** 1.5 * Math.sqrt(9.81);

/** m3/s over a weir of width w (m) with its crest h (m) below the water surface. */
export function weirFlow(h: number, width: number): number {
  return h <= 0 ? 0 : WEIR_COEFFICIENT * width * h ** 1.5;
}

/**
 * The tangent of the weir flow at the head h0 (the previous iteration's level above the crest):
 * `q(h) ≈ flow + slope·(h − h0)`. h^1.5 is convex, so the tangent lies below it: as a cap it is
 * never looser than the weir itself (exact at h0). No head: no flow, slope 0.
 */
export function weirTangent(h0: number, width: number): { flow: number; slope: number } {
  if (h0 <= 0) return { flow: 0, slope: 0 };
  return { flow: weirFlow(h0, width), slope: 1.5 * WEIR_COEFFICIENT * width * Math.sqrt(h0) };
}
