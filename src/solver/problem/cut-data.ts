/**
 * Cut groups (modelling-2.md §5), read from the model: the cut_group's `rhs` (one table per
 * price level, `ref` = the price, y = the cuts' constants), each connected reservoir's
 * `water_value_input` (one table per level with the same refs: x = reference volume, y =
 * coefficient), and the inflow_series connected to the group with their `cut_coeffs`. Values
 * that do not fit together are refused (400) with the path to fix.
 */
import type { Connection, ShopModelJson } from '../../shop/shop-json.js';
import { type CutLevel, priceWeights, windowInflow, windowMean } from '../physics/cuts.js';
import { waterValueTables, type WaterValueTable } from '../physics/end-value.js';
import { type CutGroupData, HydroModelError, type HydroSystem } from './hydro-system.js';

type Attributes = Record<string, unknown>;

/** Objects of `type` connected to `name` of `ownType`, written either way. */
function linked(connections: readonly Connection[], ownType: string, name: string, type: string): string[] {
  const out = connections
    .filter((c) => c.from_type === ownType && c.from === name && c.to_type === type)
    .map((c) => c.to);
  const into = connections
    .filter((c) => c.to_type === ownType && c.to === name && c.from_type === type)
    .map((c) => c.from);
  return [...new Set([...out, ...into])];
}

const sameRef = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));

/** The system with the model's cut groups (`cutGroups`), when it has any. */
export function withCutGroups(system: HydroSystem, model: ShopModelJson): HydroSystem {
  const cutGroups = readCutGroups(model, system);
  return cutGroups ? { ...system, cutGroups } : system;
}

function readCutGroups(model: ShopModelJson, system: HydroSystem): CutGroupData[] | undefined {
  const groups = Object.entries((model.model.cut_group ?? {}) as Record<string, Attributes>);
  if (!groups.length) return undefined;
  const connections = model.connections ?? [];
  const hours = system.steps.map((step) => step.hours);
  return groups.map(([name, attributes]) => {
    const path = `model.cut_group.${name}`;
    const reject = (where: string, reason: string) => new HydroModelError(where, reason, true);
    const rhs = waterValueTables(attributes.rhs).sort((a, b) => a.ref - b.ref);
    if (!rhs.length || rhs.some((table) => !table.y.length)) {
      throw reject(`${path}.rhs`, `cut group ${name} needs rhs: one table of cut constants per price level`);
    }
    const names = linked(connections, 'cut_group', name, 'reservoir');
    if (!names.length) throw reject(path, `cut group ${name} has no reservoir connected to it`);
    const reservoirs = names.map((reservoir) => system.reservoirs.findIndex((r) => r.name === reservoir));
    const tablesOf = (reservoir: string): WaterValueTable[] => {
      const tables = waterValueTables(model.model.reservoir?.[reservoir]?.water_value_input);
      const where = `model.reservoir.${reservoir}.water_value_input`;
      if (tables.length !== rhs.length) {
        throw reject(
          where,
          `cut group ${name} has ${rhs.length} price levels; reservoir ${reservoir} has ${tables.length} tables`,
        );
      }
      return rhs.map((level, l) => {
        const table = tables.find((t) => sameRef(t.ref, level.ref));
        if (!table) throw reject(where, `no table with ref ${level.ref} (the price level of rhs table ${l})`);
        if (table.y.length !== level.y.length || table.x.length !== level.y.length) {
          throw reject(where, `ref ${level.ref}: ${level.y.length} cuts in rhs, ${table.y.length} coefficients here`);
        }
        return table;
      });
    };
    const reservoirTables = names.map(tablesOf);
    const inflowTerms = inflowSeriesTerms(model, connections, system, name, rhs, hours, reject);
    const levels = rhs.map((level, l): CutLevel => ({
      price: level.ref,
      constant: level.y.map(
        (y, k) =>
          y - reservoirTables.reduce((sum, tables) => sum + tables[l].y[k] * tables[l].x[k], 0) + inflowTerms[l][k],
      ),
      coefficients: reservoirTables.map((tables) => tables[l].y),
    }));
    if (levels.length === 1) return { name, reservoirs, levels, weights: [{ level: 0, weight: 1 }] };
    // Price-dependent: the mean sale price of the (first energy) market over the window.
    const market = system.markets.find((m) => !m.reserveType);
    if (!market) {
      throw reject(path, `cut group ${name} has price levels, but the model has no market with a sale_price`);
    }
    const meanPrice = windowMean(hours, market.salePrice);
    return {
      name,
      reservoirs,
      levels,
      weights: priceWeights(
        levels.map((level) => level.price),
        meanPrice,
      ),
      meanPrice,
    };
  });
}

/** Σ_j IC_jk·I_j per level and cut: the inflow series connected to the group (cut_coeffs). */
function inflowSeriesTerms(
  model: ShopModelJson,
  connections: readonly Connection[],
  system: HydroSystem,
  group: string,
  rhs: WaterValueTable[],
  hours: number[],
  reject: (where: string, reason: string) => HydroModelError,
): number[][] {
  const terms = rhs.map((level) => level.y.map(() => 0));
  for (const series of linked(connections, 'cut_group', group, 'inflow_series')) {
    const where = `model.inflow_series.${series}.cut_coeffs`;
    const tables = waterValueTables(model.model.inflow_series?.[series]?.cut_coeffs);
    if (!tables.length) continue;
    const inflow = linked(connections, 'inflow_series', series, 'reservoir').reduce((sum, reservoir) => {
      const r = system.reservoirs.find((candidate) => candidate.name === reservoir);
      return sum + (r ? windowInflow(hours, r.inflow) : 0);
    }, 0);
    rhs.forEach((level, l) => {
      const table = tables.length === 1 ? tables[0] : tables.find((t) => sameRef(t.ref, level.ref));
      if (!table || table.y.length !== level.y.length) {
        throw reject(where, `needs one coefficient per cut (${level.y.length}) for the price level ${level.ref}`);
      }
      table.y.forEach((coefficient, k) => (terms[l][k] += coefficient * inflow));
    });
  }
  return terms;
}
