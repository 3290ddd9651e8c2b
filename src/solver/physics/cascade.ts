/**
 * A plain view of a SHOP model's reservoir–plant–generator cascade, and the start-level
 * quantities built on it: energy conversion factors and global water values.
 *
 * Input is the SHOP JSON `model` object (`{ reservoir: { name: attrs }, plant: ..., generator: ... }`,
 * attribute values in canonical form: xy as `{ ref, x, y }`) and its `connections`. Only
 * default connections are followed (gates are not part of the plant cascade):
 * reservoir → plant (the plant takes water from it), plant → reservoir (discharges into it),
 * generator → plant. Object types come from `from_type` / `to_type` when given, else from which
 * collection of `model` holds the name.
 */
import { prepareTurbine, type HeadCurve, type Unit } from './generator.js';
import type { Table } from './piecewise.js';
import { networkOutlet } from './network-cascade.js';
import { mainLossOf, penstockLossOf } from './plant.js';
import { startLevel, type ReservoirData } from './reservoir.js';
import { energyConversionFactor, waterValues, type EcfResult } from './water-value.js';

type Attributes = Record<string, unknown>;

export interface ShopModelLike {
  reservoir?: Record<string, Attributes>;
  plant?: Record<string, Attributes>;
  generator?: Record<string, Attributes>;
  [objectType: string]: Record<string, Attributes> | undefined;
}

export interface ConnectionLike {
  from: string;
  to: string;
  from_type?: string;
  to_type?: string;
  relation_type?: string;
  connection_type?: string;
}

export interface CascadeReservoir {
  name: string;
  /** The plant taking water from this reservoir, if any. */
  plant?: string;
  /** The reservoir that plant discharges into (without a plant: that its main river ends in); absent for the sea. */
  downstream?: string;
  /** Without a plant: the river its water leaves by (`main_river` = 1, else the first; modelling-2.md §3.4). */
  river?: string;
  /**
   * Without a plant, through gates (modelling-2.md §5): the reservoir below whose plant converts
   * this one's water (`plant` is that plant, `downstream` the reservoir it discharges into).
   */
  via?: string;
}

export interface Cascade {
  reservoirs: CascadeReservoir[];
  /** Generators per plant, in the order `model.generator` lists them. */
  generatorsOf: Map<string, string[]>;
}

function typeOf(model: ShopModelLike, name: string, given?: string): string | undefined {
  if (given) return given;
  return ['reservoir', 'plant', 'generator', 'river', 'gate'].find((type) => model[type]?.[name] !== undefined);
}

const isDefault = (c: ConnectionLike) => {
  const relation = c.relation_type ?? c.connection_type ?? 'default';
  return relation === 'default' || relation === 'standard' || relation === 'connection_standard';
};

/** The cascade of a model: for each reservoir its plant and the plant's downstream reservoir. */
export function cascadeOf(model: ShopModelLike, connections: readonly ConnectionLike[]): Cascade {
  const plantBelow = new Map<string, string>();
  const plantInto = new Map<string, string>();
  const generatorPlant = new Map<string, string>();
  for (const c of connections) {
    if (!isDefault(c)) continue;
    const from = typeOf(model, c.from, c.from_type);
    const to = typeOf(model, c.to, c.to_type);
    if (from === 'reservoir' && to === 'plant' && !plantBelow.has(c.from)) plantBelow.set(c.from, c.to);
    if (from === 'plant' && to === 'reservoir' && !plantInto.has(c.from)) plantInto.set(c.from, c.to);
    if (from === 'generator' && to === 'plant') generatorPlant.set(c.from, c.to);
    // Logical relations may be written either way (modelling-2.md, common rules).
    if (from === 'plant' && to === 'generator') generatorPlant.set(c.to, c.from);
  }
  const generatorsOf = new Map<string, string[]>();
  for (const generator of Object.keys(model.generator ?? {})) {
    const plant = generatorPlant.get(generator);
    if (plant === undefined) continue;
    generatorsOf.set(plant, [...(generatorsOf.get(plant) ?? []), generator]);
  }
  const rivers = riversOf(model, connections);
  const reservoirs = Object.keys(model.reservoir ?? {}).map((name): CascadeReservoir => {
    const plant = plantBelow.get(name);
    if (plant !== undefined) return { name, plant, downstream: plantInto.get(plant) };
    // Through tunnel networks (network-cascade.ts): the plant they feed, or the reservoir they end in.
    const through = networkOutlet(model, connections, name, 'reservoir');
    if (through?.plant !== undefined) {
      const below =
        plantInto.get(through.plant) ?? networkOutlet(model, connections, through.plant, 'plant')?.reservoir;
      return { name, plant: through.plant, downstream: below };
    }
    if (through?.reservoir !== undefined) return { name, downstream: through.reservoir };
    const river = rivers.mainRiver(name);
    if (river !== undefined) return { name, river, downstream: rivers.endsIn(river) };
    const via = throughGates(model, connections, name, (reservoir) => plantBelow.has(reservoir));
    return via === undefined
      ? { name }
      : { name, via, plant: plantBelow.get(via), downstream: plantInto.get(plantBelow.get(via)!) };
  });
  return { reservoirs, generatorsOf };
}

/**
 * The first reservoir below `name` through gates (any gate out of a reservoir leads its water
 * on: standard, spill or bypass) that `hasPlant`, breadth first (modelling-2.md §5).
 */
function throughGates(
  model: ShopModelLike,
  connections: readonly ConnectionLike[],
  name: string,
  hasPlant: (reservoir: string) => boolean,
): string | undefined {
  const gatesOut = new Map<string, string[]>();
  const gateInto = new Map<string, string>();
  for (const c of connections) {
    const from = typeOf(model, c.from, c.from_type);
    const to = typeOf(model, c.to, c.to_type);
    if (from === 'reservoir' && to === 'gate') gatesOut.set(c.from, [...(gatesOut.get(c.from) ?? []), c.to]);
    if (from === 'gate' && to === 'reservoir' && !gateInto.has(c.from)) gateInto.set(c.from, c.to);
  }
  const seen = new Set([name]);
  let at = [name];
  while (at.length) {
    const next: string[] = [];
    for (const gate of at.flatMap((reservoir) => gatesOut.get(reservoir) ?? [])) {
      const below = gateInto.get(gate);
      if (below === undefined || seen.has(below)) continue;
      if (hasPlant(below)) return below;
      seen.add(below);
      next.push(below);
    }
    at = next;
  }
  return undefined;
}

/**
 * The rivers out of each reservoir and where a river's water ends up: rivers in series are
 * followed down to a reservoir (undefined: out of the system).
 */
function riversOf(model: ShopModelLike, connections: readonly ConnectionLike[]) {
  const out = new Map<string, string[]>();
  const next = new Map<string, { type?: string; name: string }>();
  for (const c of connections) {
    const from = typeOf(model, c.from, c.from_type);
    const to = typeOf(model, c.to, c.to_type);
    if (from === 'reservoir' && to === 'river') out.set(c.from, [...(out.get(c.from) ?? []), c.to]);
    if (from === 'river' && !next.has(c.from)) next.set(c.from, { type: to, name: c.to });
  }
  return {
    mainRiver(reservoir: string): string | undefined {
      const candidates = out.get(reservoir) ?? [];
      return candidates.find((river) => model.river?.[river]?.main_river === 1) ?? candidates[0];
    },
    endsIn(river: string): string | undefined {
      const seen = new Set<string>();
      let at: { type?: string; name: string } | undefined = { type: 'river', name: river };
      while (at?.type === 'river' && !seen.has(at.name)) {
        seen.add(at.name);
        at = next.get(at.name);
      }
      return at?.type === 'reservoir' ? at.name : undefined;
    },
  };
}

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const numbers = (value: unknown): number[] | number | undefined =>
  Array.isArray(value) ? (value as number[]) : num(value);

/** The reservoir attributes used by reservoir.ts, from a model object. */
export function reservoirData(attributes: Attributes): ReservoirData {
  return {
    vol_head: attributes.vol_head as Table,
    max_vol: num(attributes.max_vol),
    lrl: num(attributes.lrl),
    hrl: num(attributes.hrl),
    start_vol: num(attributes.start_vol),
    start_head: num(attributes.start_head),
    flow_descr: attributes.flow_descr as Table | undefined,
  };
}

/** A generator's efficiency data, prepared for generator.ts. */
export function unitOf(attributes: Attributes): Unit & { pMin?: number; pMax?: number; penstock: number } {
  return {
    turbine: prepareTurbine(attributes.turb_eff_curves as HeadCurve[]),
    genEff: attributes.gen_eff_curve as Table | undefined,
    pMin: num(attributes.p_min),
    pMax: num(attributes.p_max),
    penstock: num(attributes.penstock) ?? 1,
  };
}

/**
 * ECF (MWh/Mm3) of every reservoir that has a plant with generators below it, at start levels,
 * through the plant's first generator (water-value.ts has the interpretation).
 */
export function energyConversionFactors(
  model: ShopModelLike,
  connections: readonly ConnectionLike[],
): Map<string, EcfResult> {
  const cascade = cascadeOf(model, connections);
  const out = new Map<string, EcfResult>();
  for (const reservoir of cascade.reservoirs) {
    if (reservoir.plant === undefined || reservoir.via !== undefined) continue;
    const first = cascade.generatorsOf.get(reservoir.plant)?.[0];
    if (first === undefined) continue;
    const plant = model.plant?.[reservoir.plant] ?? {};
    const unit = unitOf(model.generator?.[first] ?? {});
    const downstreamAttributes =
      reservoir.downstream === undefined ? undefined : model.reservoir?.[reservoir.downstream];
    out.set(
      reservoir.name,
      energyConversionFactor({
        upstreamLevel: startLevel(reservoirData(model.reservoir?.[reservoir.name] ?? {})),
        downstreamLevel: downstreamAttributes ? startLevel(reservoirData(downstreamAttributes)) : undefined,
        outletLine: num(plant.outlet_line) ?? 0,
        mainLoss: mainLossOf(numbers(plant.main_loss)),
        penstockLoss: penstockLossOf(numbers(plant.penstock_loss), unit.penstock),
        unit,
      }),
    );
  }
  // Tarn: a reservoir without plant whose main river ends in a reservoir converts its water there.
  const byName = new Map(cascade.reservoirs.map((r) => [r.name, r]));
  const through = (name: string, seen: Set<string>): EcfResult | undefined => {
    const known = out.get(name);
    const reservoir = byName.get(name);
    if (known || !reservoir?.river || reservoir.downstream === undefined || seen.has(name)) return known;
    seen.add(name);
    const ecf = through(reservoir.downstream, seen);
    if (ecf) out.set(name, ecf);
    return ecf;
  };
  for (const reservoir of cascade.reservoirs) through(reservoir.name, new Set());
  // Through gates: the first plant below, at that plant's own upstream start level (modelling-2.md §5).
  for (const reservoir of cascade.reservoirs) {
    const ecf = reservoir.via === undefined ? undefined : out.get(reservoir.via);
    if (ecf) out.set(reservoir.name, ecf);
  }
  return out;
}

/**
 * Global water values (currency/Mm3) of every reservoir: `calc_global_water_value`. `fixed`:
 * the reservoirs whose value is given (water-value tables, modelling-2.md §5: the marginal value
 * at the start volume), which the reservoirs above add as their downstream value.
 */
export function globalWaterValues(
  model: ShopModelLike,
  connections: readonly ConnectionLike[],
  fixed: ReadonlyMap<string, number> = new Map(),
): Map<string, number> {
  const ecfs = energyConversionFactors(model, connections);
  const { reservoirs } = cascadeOf(model, connections);
  return waterValues(
    reservoirs.map((r) => ({
      name: r.name,
      energyValueInput: num(model.reservoir?.[r.name]?.energy_value_input),
      // Without a plant no energy is made before the water reaches the reservoir below: its value is that one's.
      // Through gates the first plant below converts it, and the value below that plant is added (§5).
      ecf: r.plant === undefined ? undefined : ecfs.get(r.name)?.ecf,
      downstream: r.downstream,
      fixedValue: fixed.get(r.name),
    })),
  );
}
