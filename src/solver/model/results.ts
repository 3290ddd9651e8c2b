/**
 * The last iteration's results as SHOP output attributes, with production recomputed from the
 * actual flows and heads (modelling.md), and the objective's parts summed along the way.
 */
import type { OutputAttribute, ShopModelJson, Txy } from '../../shop/shop-json.js';
import { energyConversionFactors, type ShopModelLike } from '../physics/cascade.js';
import { power, type Unit } from '../physics/generator.js';
import { grossHead, mainLossOf, penstockLossOf } from '../physics/plant.js';
import { levelFromVolume, MM3_PER_M3S_HOUR } from '../physics/reservoir.js';
import type { HydroSystem } from '../problem/hydro-system.js';
import { spillGateOf } from '../problem/families/gates.js';
import type { StorageLimit, TransitValues } from '../problem/iteration-input.js';
import { unitNetHeads } from './head-coefficients.js';
import { BYPASS_COST, type ObjectiveBreakdown, objectiveBreakdown, SPILL_COST, waterLeftValue } from './objective.js';
import { RUNNING, startLevels, type Trajectory } from './trajectory.js';
import { tunnelOutputs } from './tunnel-results.js';
import { type PlantLevels, solutionPlantLevels } from './tunnel-state.js';
import type { Pump } from '../physics/pump.js';
import { pumpOutputs, type PumpCosts } from './pump-results.js';
import { waterwayOutputs } from './waterway-results.js';
import { cutGroupOutputs, cutGroupWorth } from './cut-results.js';
import { gateCosts, gateQPenaltyOutputs } from './gate-results.js';
import { reserveOutputs } from './reserve-results.js';

/** Collects output attributes in order, with the horizon's time series shapes. */
class Outputs {
  readonly list: OutputAttribute[] = [];
  private readonly steps: string[];
  private readonly stateTimes: string[];

  constructor(system: HydroSystem, endTime: string) {
    this.steps = system.steps.map((s) => s.start);
    this.stateTimes = [...this.steps, endTime];
  }

  put(objectType: string, objectName: string, attribute: string, value: unknown): void {
    this.list.push({ objectType, objectName, attribute, value });
  }

  /** A value per step. */
  flow(values: number[]): Txy {
    return { timestamps: this.steps, values: [values] };
  }

  /** A value per step start, and one at the end. */
  state(values: number[]): Txy {
    return { timestamps: this.stateTimes, values: [values] };
  }
}

/** What `results` works from: the system as last solved and its fixed data. */
export interface ResultInputs {
  model: ShopModelJson;
  system: HydroSystem;
  start: number[];
  waterValues: number[];
  units: Unit[][];
  limits: StorageLimit[];
  /** [plant][pump], prepared (pump-iteration.ts) */
  pumps?: Pump[][];
  /** The run's values of water in transit at the end (delays.ts). */
  transit?: TransitValues;
}

export function results(
  inputs: ResultInputs,
  solution: Trajectory,
): { outputs: OutputAttribute[]; objective: ObjectiveBreakdown } {
  const { model, system, start, waterValues } = inputs;
  const out = new Outputs(system, model.time!.end_time);
  reservoirOutputs(out, inputs, solution);
  const levels = startLevels(system, start, solution.storage);
  const startup = { costs: 0 };
  const pumpCosts: PumpCosts = { startStop: 0, schedulePenalty: 0, consumptionFee: 0 };
  const networkLevels = solutionPlantLevels(system, start, solution);
  system.plants.forEach((_, p) => plantOutputs(out, inputs, levels, solution, p, startup, pumpCosts, networkLevels));
  const { spill, bypass } = gateOutputs(out, system, solution);
  gateQPenaltyOutputs(out.put.bind(out), out.flow.bind(out), system, solution.gateFunctions);
  const marketSaleBuy = marketOutputs(out, system, solution);
  const penalties = penaltyOutputs(out, inputs, solution);
  const waterways = waterwayOutputs(out, inputs, solution);
  const tunnels = tunnelOutputs(out.put.bind(out), out.flow.bind(out), system, solution);
  cutGroupOutputs(out.put.bind(out), out.state.bind(out), system, start, solution);
  const reserves = reserveOutputs(out.put.bind(out), out.flow.bind(out), system, solution);
  const end = solution.storage.map((row) => row[row.length - 1]);
  const objective = objectiveBreakdown(system, waterValues, start, end, {
    marketSaleBuy,
    startupCosts: startup.costs + pumpCosts.startStop,
    pumpSchedulePenalty: pumpCosts.schedulePenalty,
    consumptionFee: pumpCosts.consumptionFee,
    spill,
    bypass,
    ...penalties,
    ...waterways,
    ...(tunnels ? { tunnels } : {}),
    gate: gateCosts(system, solution.gate, solution.gateFunctions),
    ...(system.cutGroups ? { cutGroups: cutGroupWorth(system, start, solution) } : {}),
    ...(reserves ? { reserves } : {}),
  });
  for (const [attribute, value] of Object.entries(objective)) {
    out.put('objective', 'average_objective', attribute, value);
  }
  return { outputs: out.list, objective };
}

function reservoirOutputs(out: Outputs, inputs: ResultInputs, solution: Trajectory): void {
  const { model, system, start, waterValues } = inputs;
  const ecfs = energyConversionFactors(model.model as ShopModelLike, model.connections ?? []);
  system.reservoirs.forEach((reservoir, r) => {
    const storage = [start[r], ...solution.storage[r]];
    out.put('reservoir', reservoir.name, 'storage', out.state(storage));
    out.put(
      'reservoir',
      reservoir.name,
      'head',
      out.state(storage.map((volume) => levelFromVolume(reservoir.volHead, volume))),
    );
    // A water-value table's value is given, not computed: reported 0 (modelling-2.md §5).
    out.put('reservoir', reservoir.name, 'calc_global_water_value', reservoir.endValueTable ? 0 : waterValues[r]);
    const ecf = ecfs.get(reservoir.name)?.ecf;
    if (ecf !== undefined) out.put('reservoir', reservoir.name, 'energy_conversion_factor', ecf);
    // Cost-signed, as SHOP reports them and as rsv_end_value in the objective: the water's value
    // counts negative, and using water costs its value (change_in_end_value > 0 when drawn down).
    const value = storage.map((volume) => -waterLeftValue(system, waterValues, r, volume));
    out.put('reservoir', reservoir.name, 'end_value', out.state(value));
    out.put('reservoir', reservoir.name, 'change_in_end_value', out.state(value.map((v) => v - value[0])));
  });
}

/** A plant's and its generators' outputs; adds the generators' start costs to `startup.costs`. */
function plantOutputs(
  out: Outputs,
  inputs: ResultInputs,
  levels: number[][],
  solution: Trajectory,
  p: number,
  startup: { costs: number },
  pumpCosts: PumpCosts,
  networkLevels?: PlantLevels,
): void {
  const { system, units } = inputs;
  const plant = system.plants[p];
  const reservoirIndex = new Map(system.reservoirs.map((r, i) => [r.name, i]));
  const up = plant.upstream === undefined ? undefined : reservoirIndex.get(plant.upstream);
  const down = plant.downstream === undefined ? undefined : reservoirIndex.get(plant.downstream);
  const plantProduction = system.steps.map(() => 0);
  const plantSolver = system.steps.map(() => 0);
  const plantDischarge = system.steps.map(() => 0);
  // A plant fed by (or releasing into) a tunnel network sees the pressure at its node.
  const upLevel = (t: number) => networkLevels?.upstream[p]?.[t] ?? (up === undefined ? 0 : levels[up][t]);
  const downLevel = (t: number) =>
    networkLevels?.downstream[p]?.[t] ?? (down === undefined ? undefined : levels[down][t]);
  const gross = system.steps.map((_, t) => grossHead(upLevel(t), plant.outletLine, downLevel(t)));
  plant.generators.forEach((generator, g) => {
    const q = solution.discharge[p][g].map((value) => (value > RUNNING ? value : 0));
    const production = system.steps.map((_, t) => {
      if (q[t] <= 0) return 0;
      const flows = plant.generators.map((_, i) => solution.discharge[p][i][t]);
      return power(units[p][g], q[t], unitNetHeads(plant, flows, gross[t])[g]);
    });
    const committed = q.map((value) => (value > 0 ? 1 : 0));
    // Starts counted afterwards (modelling.md): every 0 -> 1 change, the first step free without initial_state.
    committed.forEach((on, t) => {
      const before = t === 0 ? generator.initialState : committed[t - 1];
      if (on === 1 && before === 0) startup.costs += generator.startcost[t];
    });
    out.put('generator', generator.name, 'production', out.flow(production));
    out.put('generator', generator.name, 'solver_production', out.flow(solution.solverPower[p][g]));
    out.put('generator', generator.name, 'discharge', out.flow(q));
    out.put('generator', generator.name, 'committed_out', out.flow(committed));
    system.steps.forEach((_, t) => {
      plantProduction[t] += production[t];
      plantSolver[t] += solution.solverPower[p][g][t];
      plantDischarge[t] += q[t];
    });
  });
  const { effHead, headLoss } = plantHeads(system, solution, p, gross, plantDischarge);
  // A plant that pumps reports the highest pump eff_head and a negative head_loss (doc).
  pumpOutputs(out, inputs, levels, solution, p, pumpCosts, networkLevels?.upstream[p]).forEach((lift, t) => {
    if (lift === undefined || plantDischarge[t] > 0) return;
    effHead[t] = lift;
    headLoss[t] = gross[t] - lift;
  });
  out.put('plant', plant.name, 'production', out.flow(plantProduction));
  out.put('plant', plant.name, 'solver_production', out.flow(plantSolver));
  out.put('plant', plant.name, 'discharge', out.flow(plantDischarge));
  out.put('plant', plant.name, 'gross_head', out.flow(gross));
  out.put('plant', plant.name, 'eff_head', out.flow(effHead));
  out.put('plant', plant.name, 'head_loss', out.flow(headLoss));
}

/** A plant's head loss (the main loss and its worst penstock's) and effective head at every step. */
function plantHeads(
  system: HydroSystem,
  solution: Trajectory,
  p: number,
  gross: number[],
  plantDischarge: number[],
): { effHead: number[]; headLoss: number[] } {
  const plant = system.plants[p];
  const effHead = system.steps.map(() => 0);
  const headLoss = system.steps.map(() => 0);
  system.steps.forEach((_, t) => {
    const penstockFlows = new Map<number, number>();
    plant.generators.forEach((generator, g) =>
      penstockFlows.set(generator.penstock, (penstockFlows.get(generator.penstock) ?? 0) + solution.discharge[p][g][t]),
    );
    const main = mainLossOf([plant.mainLoss]) * plantDischarge[t] ** 2;
    const worst = Math.max(
      0,
      ...[...penstockFlows].map(([k, flow]) => penstockLossOf(plant.penstockLoss, k) * flow ** 2),
    );
    headLoss[t] = plantDischarge[t] > 0 ? main + worst : 0;
    effHead[t] = gross[t] - headLoss[t];
  });
  return { effHead, headLoss };
}

/** Gate discharges; the spill and bypass costs. */
function gateOutputs(out: Outputs, system: HydroSystem, solution: Trajectory): { spill: number; bypass: number } {
  let spill = 0;
  let bypass = 0;
  // A reservoir's spill gate carries its overflow: waterway-results.ts costs it.
  const overflowGates = spillGateOf({ system });
  system.gates.forEach((gate, i) => {
    out.put('gate', gate.name, 'discharge', out.flow(solution.gate[i]));
    const volume = solution.gate[i].reduce((sum, flow, t) => sum + flow * MM3_PER_M3S_HOUR * system.steps[t].hours, 0);
    // A spill_cost_curve replaces the spill cost (gate-results.ts).
    if (gate.kind === 'spill' && !overflowGates.has(i) && !gate.functions?.spillCostCurve) spill += SPILL_COST * volume;
    if (gate.kind === 'bypass') bypass += BYPASS_COST * volume;
  });
  return { spill, bypass };
}

/** Market sale and buy; their net cost. */
function marketOutputs(out: Outputs, system: HydroSystem, solution: Trajectory): number {
  let marketSaleBuy = 0;
  system.markets.forEach((market, m) => {
    out.put('market', market.name, 'sale', out.flow(solution.sale[m]));
    out.put('market', market.name, 'buy', out.flow(solution.buy[m]));
    // A reserve market's trade is reserve_sale_buy (reserve-results.ts).
    if (market.reserveType) return;
    system.steps.forEach((step, t) => {
      marketSaleBuy +=
        step.hours * (market.buyPrice[t] * solution.buy[m][t] - market.salePrice[t] * solution.sale[m][t]);
    });
  });
  return marketSaleBuy;
}

/** Soft limits' violations (Mm3) and costs per reservoir and step, overflow, and the load not met. */
function penaltyOutputs(out: Outputs, inputs: ResultInputs, solution: Trajectory) {
  const { system, limits } = inputs;
  const gs = system.globalSettings;
  const reservoirPenalty = system.reservoirs.map(() => system.steps.map(() => 0));
  const reservoirPenaltyCost = system.reservoirs.map(() => system.steps.map(() => 0));
  let rsvPenalty = 0;
  let rsvHardLimitPenalty = 0;
  limits.forEach((limit, i) => {
    const violation = solution.limitViolation[i];
    if (!(violation > RUNNING * MM3_PER_M3S_HOUR) || limit.penalty === undefined) return;
    const cost = violation * limit.penalty;
    reservoirPenalty[limit.reservoir][limit.step] += violation;
    reservoirPenaltyCost[limit.reservoir][limit.step] += cost;
    if (limit.attribute === 'lrl' || limit.attribute === 'hrl') rsvHardLimitPenalty += cost;
    else rsvPenalty += cost;
  });
  system.reservoirs.forEach((reservoir, r) => {
    out.put('reservoir', reservoir.name, 'penalty', out.flow(reservoirPenalty[r]));
    out.put('reservoir', reservoir.name, 'penalty_nok', out.flow(reservoirPenaltyCost[r]));
  });
  const loadPenaltyVolume = system.steps.reduce((sum, step, t) => sum + solution.loadShortfall[t] * step.hours, 0);
  const loadPenalty = loadPenaltyVolume * gs.loadPenaltyCost;
  // The market balance is one row over all energy markets: the load not met is reported on the first.
  const first = system.markets.find((market) => !market.reserveType);
  if (first) out.put('market', first.name, 'load_penalty', out.flow(solution.loadShortfall));
  return { rsvPenalty, rsvHardLimitPenalty, loadPenalty };
}
