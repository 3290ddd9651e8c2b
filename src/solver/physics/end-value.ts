/**
 * End values from water-value tables (modelling-2.md §5): a reservoir's `water_value_input`
 * (xy_array, currency/Mm3, global) beats its `energy_value_input`.
 *
 * - one table, one point: a constant global value y (x and ref unused);
 * - one table, several points: marginal values per volume segment [x_j, x_{j+1}) with x_0 read
 *   as 0 and the last segment open to max_vol (and above, where overflow lets the storage rise),
 *   y falling; the end value is the integral of that step curve from 0 to V_T. In the LP:
 *   `V_T = Σ v_j`, `0 ≤ v_j ≤ len_j`, value `Σ y_j·v_j`; with y falling the segments fill in
 *   order. A rising y would fill them out of order: Tarn refuses it.
 * - several tables (one per price level) belong to cut groups (cuts.ts).
 *
 * Pure functions: the tables as read, the segments, their integral and marginal value.
 */

export interface WaterValueTable {
  ref: number;
  x: number[];
  y: number[];
}

/** A volume segment of a table: from `from` (Mm3), `length` Mm3 long (Infinity: the last), worth `value` per Mm3. */
export interface EndValueSegment {
  from: number;
  length: number;
  value: number;
}

/** How a reservoir's water left at the end is valued. */
export type TableEndValue = { kind: 'constant'; value: number } | { kind: 'segments'; segments: EndValueSegment[] };

/** A table that cannot value water: `reason` says why, without the reservoir (the caller names it). */
export class EndValueTableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'EndValueTableError';
  }
}

const isTable = (value: unknown): value is WaterValueTable =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as WaterValueTable).x) &&
  Array.isArray((value as WaterValueTable).y);

/** The tables of a `water_value_input` value (an xy_array; a single xy counts as one table). */
export function waterValueTables(value: unknown): WaterValueTable[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter(isTable).map((table) => ({ ref: Number(table.ref ?? 0), x: table.x, y: table.y }));
}

/**
 * The end value a single table gives: constant with one point, else the falling step curve's
 * segments. Throws EndValueTableError on an empty table, x not ascending, or y rising.
 */
export function tableEndValue(table: WaterValueTable): TableEndValue {
  const { x, y } = table;
  if (!y.length || x.length !== y.length) {
    throw new EndValueTableError(
      `water_value_input needs as many x as y values, and at least one (${x.length} x, ${y.length} y)`,
    );
  }
  if (y.length === 1) return { kind: 'constant', value: y[0] };
  for (let j = 1; j < x.length; j++) {
    if (!(x[j] > x[j - 1])) {
      throw new EndValueTableError(`water_value_input x must rise (x[${j - 1}] = ${x[j - 1]}, x[${j}] = ${x[j]})`);
    }
    if (y[j] > y[j - 1]) {
      throw new EndValueTableError(
        `water_value_input y must not rise with the volume: the marginal value of water falls as the ` +
          `reservoir fills (y[${j - 1}] = ${y[j - 1]}, y[${j}] = ${y[j]})`,
      );
    }
  }
  // x_0 counts as 0: the first segment starts at an empty reservoir.
  const segments = y.map((value, j): EndValueSegment => ({
    from: j === 0 ? 0 : x[j],
    length: j + 1 < x.length ? x[j + 1] - (j === 0 ? 0 : x[j]) : Infinity,
    value,
  }));
  return { kind: 'segments', segments };
}

/** ∫₀^volume of the step curve (currency): the value of `volume` Mm3 left at the end. */
export function stepIntegral(segments: readonly EndValueSegment[], volume: number): number {
  let value = 0;
  for (const segment of segments) {
    const filled = Math.min(Math.max(volume - segment.from, 0), segment.length);
    value += filled * segment.value;
  }
  return value;
}

/** The marginal value (currency/Mm3) at `volume`: that of the segment holding it. */
export function marginalValue(segments: readonly EndValueSegment[], volume: number): number {
  let value = segments[0]?.value ?? 0;
  for (const segment of segments) if (volume >= segment.from) value = segment.value;
  return value;
}

/** The value of `volume` Mm3 left at the end under a table's end value. */
export function tableValueAt(endValue: TableEndValue, volume: number): number {
  return endValue.kind === 'constant' ? endValue.value * volume : stepIntegral(endValue.segments, volume);
}

/** The table's value per Mm3 at `volume`: the constant, or the marginal value there. */
export function tableMarginalAt(endValue: TableEndValue, volume: number): number {
  return endValue.kind === 'constant' ? endValue.value : marginalValue(endValue.segments, volume);
}
