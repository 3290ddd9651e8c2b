/**
 * Plant hydraulics (modelling.md §plant and §PQ curves): gross head and net head with losses.
 *
 * Head losses are `k·Q²` (m, with Q in m3/s): `main_loss` with the plant's total flow,
 * `penstock_loss[k]` with the flow of penstock k.
 *
 * Convention for a PQ curve of one unit at unit flow Q (modelling.md: "`n_k` units on the same
 * penstock are taken to run at the same Q"): the units that are counted — all units of the
 * plant in full iterations, the committed ones in incremental iterations — all run at the same
 * Q. So penstock k carries `n_k·Q`, and the main tunnel carries the plant flow
 * `n_plant·Q = (Σ_k n_k)·Q`:
 *
 *   H_net(Q) = H_gross − penstock_loss[k]·(n_k·Q)² − main_loss·(n_plant·Q)².
 *
 * (The spec names the plant flow without fixing the other penstocks' flows; taking every
 * counted unit at the same Q is the reading that extends its own penstock rule to the whole
 * plant. A unit running alone has n_k = n_plant = 1, which is the ECF's loss term.)
 */

/** Gross head (m): upstream level − max(outlet_line, downstream level when it is higher). */
export function grossHead(upstreamLevel: number, outletLine: number, downstreamLevel?: number): number {
  const tailwater = downstreamLevel === undefined ? outletLine : Math.max(outletLine, downstreamLevel);
  return upstreamLevel - tailwater;
}

/** Loss data for one unit's net head. */
export interface UnitLosses {
  /** `penstock_loss` of the unit's penstock (s2/m5); 0 when absent. */
  penstockLoss: number;
  /** `main_loss` of the plant; 0 when absent. */
  mainLoss: number;
  /** Units counted on the unit's penstock, the unit included (≥ 1). */
  unitsOnPenstock: number;
  /** Units counted in the whole plant, the unit included (≥ unitsOnPenstock). */
  unitsInPlant: number;
}

/** A unit running alone: one unit on its penstock and in the plant. */
export function aloneLosses(penstockLoss: number, mainLoss: number): UnitLosses {
  return { penstockLoss, mainLoss, unitsOnPenstock: 1, unitsInPlant: 1 };
}

/** Total head loss (m) at unit flow `q`: `penstock_loss·(n_k·q)² + main_loss·(n_plant·q)²`. */
export function headLoss(losses: UnitLosses, q: number): number {
  const penstockFlow = losses.unitsOnPenstock * q;
  const plantFlow = losses.unitsInPlant * q;
  return losses.penstockLoss * penstockFlow * penstockFlow + losses.mainLoss * plantFlow * plantFlow;
}

/** Net head (m) at unit flow `q`: gross head minus `headLoss`. */
export function netHead(gross: number, losses: UnitLosses, q: number): number {
  return gross - headLoss(losses, q);
}

/**
 * `penstock_loss` of a 1-based `penstock` number (SHOP's `generator.penstock`); 0 when the list
 * is shorter (no loss given). `penstock` absent means 1.
 */
export function penstockLossOf(penstockLoss: readonly number[] | number | undefined, penstock = 1): number {
  if (penstockLoss === undefined) return 0;
  if (typeof penstockLoss === 'number') return penstockLoss;
  return penstockLoss[penstock - 1] ?? 0;
}

/** `main_loss`, a double_array of one value in SHOP JSON (`[0]`) or a plain number; 0 when absent. */
export function mainLossOf(mainLoss: readonly number[] | number | undefined): number {
  if (mainLoss === undefined) return 0;
  return typeof mainLoss === 'number' ? mainLoss : (mainLoss[0] ?? 0);
}

/**
 * Loss data of every unit of a plant, from their penstock numbers and which of them are counted
 * (`counted[i]`; default: all — the full-iteration convention). An uncounted unit still gets its
 * own curve data as if it were counted alongside the others.
 */
export function plantUnitLosses(
  penstocks: readonly number[],
  penstockLoss: readonly number[] | number | undefined,
  mainLoss: readonly number[] | number | undefined,
  counted: readonly boolean[] = penstocks.map(() => true),
): UnitLosses[] {
  const onPenstock = new Map<number, number>();
  let inPlant = 0;
  penstocks.forEach((k, i) => {
    if (!counted[i]) return;
    onPenstock.set(k, (onPenstock.get(k) ?? 0) + 1);
    inPlant++;
  });
  const km = mainLossOf(mainLoss);
  return penstocks.map((k, i) => {
    const extra = counted[i] ? 0 : 1;
    return {
      penstockLoss: penstockLossOf(penstockLoss, k),
      mainLoss: km,
      unitsOnPenstock: (onPenstock.get(k) ?? 0) + extra,
      unitsInPlant: inPlant + extra,
    };
  });
}
