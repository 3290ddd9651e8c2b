/**
 * `start sim`: SHOP's iteration scheme (modelling.md) over the stored model. Each iteration
 * linearises power at the heads of the previous iteration's storage trajectory, solves, and
 * the last one's results are recomputed with the nonlinear physics and returned as SHOP
 * output attributes. Pure apart from the `solve` callback (a provider or the worker pool).
 */
import type { ShopModelJson } from '../models/model-store.service.js';
import type { Txy } from '../models/shop-values.js';
import type { SolverRun, SolverSettings } from './command-interpreter.js';
import type { LinearProgram, SolveOptions, SolveResult } from './optimization-provider.js';
import {
  energyConversionFactors,
  globalWaterValues,
  reservoirData,
  type ShopModelLike,
  unitOf,
} from './physics/cascade.js';
import { power, type Unit } from './physics/generator.js';
import { grossHead, mainLossOf, penstockLossOf, plantUnitLosses } from './physics/plant.js';
import { pqCurve } from './physics/pq-curve.js';
import { levelFromVolume, startVolume } from './physics/reservoir.js';
import { hydroSystem, type HydroSystem } from './problem/hydro-system.js';
import { buildIterationProblem, MM3_PER_M3S_HOUR, type UnitCurve } from './problem/iteration-problem.js';

export type Solve = (lp: LinearProgram, options: SolveOptions) => Promise<SolveResult>;
export type Log = (level: 'INFO' | 'WARNING' | 'ERROR', message: string) => void;

/** An output attribute value for the model store. */
export interface OutputAttribute {
  objectType: string;
  objectName: string;
  attribute: string;
  value: unknown;
}

export interface OptimizationOutcome {
  status: SolveResult['status'];
  outputs: OutputAttribute[];
  objective?: ObjectiveBreakdown;
  iterations: number;
}

export interface ObjectiveBreakdown {
  grand_total: number;
  total: number;
  market_sale_buy: number;
  startup_costs: number;
  rsv_end_value: number;
  rsv_end_value_relative: number;
  sum_penalties: number;
  gate_spill_cost: number;
  bypass_cost: number;
  physical_spill_cost: number;
}

/** Small costs so that water is not spilled or bypassed when a plant could use it (currency/Mm3). */
const SPILL_COST = 0.01 / MM3_PER_M3S_HOUR;
const BYPASS_COST = 0.01 / MM3_PER_M3S_HOUR;
const OVERFLOW_COST = 1000 / MM3_PER_M3S_HOUR;
const RUNNING = 1e-6;

interface Trajectory {
  /** [reservoir][t]: storage after step t */
  storage: number[][];
  /** [plant][generator][t] */
  discharge: number[][][];
  solverPower: number[][][];
  gate: number[][];
  sale: number[][];
  buy: number[][];
  startups: number[][][];
  objective: number;
}

function solveOptions(settings: SolverSettings): SolveOptions {
  return {
    timeLimitSeconds: settings.timeLimitSeconds,
    mipRelGap: settings.mipGapRelative,
    mipAbsGap: settings.mipGapAbsolute,
    threads: settings.threads > 0 ? settings.threads : undefined,
    method: settings.method === 'baropt' ? 'ipm' : settings.method,
  };
}

/** Reservoir levels at the start of every step, from a storage trajectory. */
function startLevels(system: HydroSystem, start: number[], storage: number[][] | undefined): number[][] {
  return system.reservoirs.map((reservoir, r) =>
    system.steps.map((_, t) => {
      const volume = t === 0 || !storage ? start[r] : storage[r][t - 1];
      return levelFromVolume(reservoir.volHead, volume);
    }),
  );
}

export async function optimize(
  model: ShopModelJson,
  runs: SolverRun[],
  solve: Solve,
  log: Log,
): Promise<OptimizationOutcome> {
  const system = hydroSystem(model);
  const reservoirIndex = new Map(system.reservoirs.map((r, i) => [r.name, i]));
  const objects = model.model as ShopModelLike;
  const start = system.reservoirs.map((r) => startVolume(reservoirData(objects.reservoir![r.name])));
  const waterValueByName = globalWaterValues(objects, model.connections ?? []);
  const waterValues = system.reservoirs.map((r) => waterValueByName.get(r.name) ?? 0);
  const units: Unit[][] = system.plants.map((plant) => plant.generators.map((g) => unitOf(objects.generator![g.name])));

  let previous: Trajectory | undefined;
  let lastFull: Trajectory | undefined;
  let status: SolveResult['status'] = 'optimal';
  let count = 0;
  for (const run of runs) {
    for (let iteration = 0; iteration < run.iterations; iteration++) {
      count++;
      const incremental = run.mode === 'incremental' && lastFull !== undefined;
      const levels = startLevels(system, start, previous?.storage);
      const committed = (p: number, g: number, t: number) => (lastFull?.discharge[p][g][t] ?? 0) > RUNNING;
      const binaries = system.plants.map((plant) =>
        system.steps.map((_, t) => !incremental && (run.settings.universalMip ?? plant.mipFlag[t] === 1)),
      );
      const curves: UnitCurve[][][] = system.plants.map((plant, p) => {
        const up = plant.upstream === undefined ? undefined : reservoirIndex.get(plant.upstream);
        const down = plant.downstream === undefined ? undefined : reservoirIndex.get(plant.downstream);
        return plant.generators.map((generator, g) =>
          system.steps.map((_, t): UnitCurve => {
            if (incremental && !committed(p, g, t)) return { qMin: 0, pAtQmin: 0, segments: [] };
            const counted = plant.generators.map((_, i) => !incremental || committed(p, i, t));
            const losses = plantUnitLosses(
              plant.generators.map((u) => u.penstock),
              plant.penstockLoss,
              [plant.mainLoss],
              counted,
            )[g];
            const head = grossHead(
              up === undefined ? 0 : levels[up][t],
              plant.outletLine,
              down === undefined ? undefined : levels[down][t],
            );
            const curve = pqCurve({ ...units[p][g], pMin: generator.pMin, pMax: generator.pMax }, head, losses, {
              nsegBelow: binaries[p][t] ? run.settings.mipNsegDown : run.settings.nsegDown,
              nsegAbove: binaries[p][t] ? run.settings.mipNsegUp : run.settings.nsegUp,
            });
            if (!curve.feasible) return { qMin: 0, pAtQmin: 0, segments: [] };
            const form = binaries[p][t] || incremental ? curve.withBinaries : curve.withoutBinaries;
            return { qMin: form.qMin, pAtQmin: form.pAtQmin, segments: form.segments };
          }),
        );
      });
      const fixedCommitment = incremental
        ? system.plants.map((plant, p) =>
            plant.generators.map((_, g) => system.steps.map((__, t) => (committed(p, g, t) ? 1 : 0) as 0 | 1)),
          )
        : undefined;
      const problem = buildIterationProblem({
        system,
        startVolumes: start,
        curves,
        binaries,
        fixedCommitment,
        waterValues,
        spillCost: SPILL_COST,
        bypassCost: BYPASS_COST,
        overflowCost: OVERFLOW_COST,
      });
      const began = performance.now();
      const result = await solve(problem.lp, solveOptions(run.settings));
      const seconds = (performance.now() - began) / 1000;
      status = result.status;
      const mode = incremental ? 'incremental' : 'full';
      if (!result.hasSolution) {
        log('ERROR', `Iteration ${count} (${mode}): ${result.status}${result.message ? `: ${result.message}` : ''}`);
        return { status, outputs: [], iterations: count };
      }
      log(
        'INFO',
        `Iteration ${count} (${mode}): objective ${result.objective.toFixed(2)}, status ${result.status}` +
          `${result.mipGap !== undefined ? `, gap ${result.mipGap.toExponential(2)}` : ''}, ` +
          `${problem.lp.colCost.length} columns, ${problem.lp.rowLower.length} rows, ${seconds.toFixed(3)} s`,
      );
      const v = (column: number) => result.colValue[column];
      const { index } = problem;
      previous = {
        storage: index.storage.map((columns) => columns.map(v)),
        discharge: index.unitDischarge.map((plant) => plant.map((columns) => columns.map(v))),
        solverPower: index.unitPower.map((plant) => plant.map((columns) => columns.map(v))),
        gate: index.gateDischarge.map((columns) => columns.map(v)),
        sale: index.sale.map((columns) => columns.map(v)),
        buy: index.buy.map((columns) => columns.map(v)),
        startups: index.startups.map((plant) =>
          plant.map((columns) => columns.map((c) => (c === undefined ? 0 : v(c)))),
        ),
        objective: result.objective,
      };
      if (!incremental) lastFull = previous;
    }
  }
  if (!previous) return { status, outputs: [], iterations: 0 };
  return { status, iterations: count, ...results(model, system, start, waterValues, units, previous) };
}

/** The last iteration's results, with production recomputed from actual flows and heads. */
function results(
  model: ShopModelJson,
  system: HydroSystem,
  start: number[],
  waterValues: number[],
  units: Unit[][],
  solution: Trajectory,
): { outputs: OutputAttribute[]; objective: ObjectiveBreakdown } {
  const outputs: OutputAttribute[] = [];
  const steps = system.steps.map((s) => s.start);
  const stateTimes = [...steps, model.time!.end_time];
  const flowSeries = (values: number[]): Txy => ({ timestamps: steps, values: [values] });
  const stateSeries = (values: number[]): Txy => ({ timestamps: stateTimes, values: [values] });
  const put = (objectType: string, objectName: string, attribute: string, value: unknown) =>
    outputs.push({ objectType, objectName, attribute, value });
  const reservoirIndex = new Map(system.reservoirs.map((r, i) => [r.name, i]));
  const levels = startLevels(system, start, solution.storage);
  const ecfs = energyConversionFactors(model.model as ShopModelLike, model.connections ?? []);

  system.reservoirs.forEach((reservoir, r) => {
    const storage = [start[r], ...solution.storage[r]];
    put('reservoir', reservoir.name, 'storage', stateSeries(storage));
    put(
      'reservoir',
      reservoir.name,
      'head',
      stateSeries(storage.map((volume) => levelFromVolume(reservoir.volHead, volume))),
    );
    put('reservoir', reservoir.name, 'calc_global_water_value', waterValues[r]);
    const ecf = ecfs.get(reservoir.name)?.ecf;
    if (ecf !== undefined) put('reservoir', reservoir.name, 'energy_conversion_factor', ecf);
    put('reservoir', reservoir.name, 'end_value', stateSeries(storage.map((volume) => waterValues[r] * volume)));
  });

  let startupCosts = 0;
  system.plants.forEach((plant, p) => {
    const up = plant.upstream === undefined ? undefined : reservoirIndex.get(plant.upstream);
    const down = plant.downstream === undefined ? undefined : reservoirIndex.get(plant.downstream);
    const plantProduction = system.steps.map(() => 0);
    const plantSolver = system.steps.map(() => 0);
    const plantDischarge = system.steps.map(() => 0);
    const gross = system.steps.map((_, t) =>
      grossHead(
        up === undefined ? 0 : levels[up][t],
        plant.outletLine,
        down === undefined ? undefined : levels[down][t],
      ),
    );
    const effHead = system.steps.map(() => 0);
    const headLoss = system.steps.map(() => 0);
    plant.generators.forEach((generator, g) => {
      const q = solution.discharge[p][g].map((value) => (value > RUNNING ? value : 0));
      const production = system.steps.map((_, t) => {
        if (q[t] <= 0) return 0;
        const flows = plant.generators.map((_, i) => solution.discharge[p][i][t]);
        const penstockFlow = flows.reduce(
          (sum, flow, i) => sum + (plant.generators[i].penstock === generator.penstock ? flow : 0),
          0,
        );
        const plantFlow = flows.reduce((sum, flow) => sum + flow, 0);
        const loss =
          penstockLossOf(plant.penstockLoss, generator.penstock) * penstockFlow ** 2 +
          mainLossOf([plant.mainLoss]) * plantFlow ** 2;
        return power(units[p][g], q[t], gross[t] - loss);
      });
      const committed = q.map((value) => (value > 0 ? 1 : 0));
      // Starts counted afterwards (modelling.md): every 0 -> 1 change, the first step free without initial_state.
      committed.forEach((on, t) => {
        const before = t === 0 ? generator.initialState : committed[t - 1];
        if (on === 1 && before === 0) startupCosts += generator.startcost[t];
      });
      put('generator', generator.name, 'production', flowSeries(production));
      put('generator', generator.name, 'solver_production', flowSeries(solution.solverPower[p][g]));
      put('generator', generator.name, 'discharge', flowSeries(q));
      put('generator', generator.name, 'committed_out', flowSeries(committed));
      system.steps.forEach((_, t) => {
        plantProduction[t] += production[t];
        plantSolver[t] += solution.solverPower[p][g][t];
        plantDischarge[t] += q[t];
      });
    });
    system.steps.forEach((_, t) => {
      const penstockFlows = new Map<number, number>();
      plant.generators.forEach((generator, g) =>
        penstockFlows.set(
          generator.penstock,
          (penstockFlows.get(generator.penstock) ?? 0) + solution.discharge[p][g][t],
        ),
      );
      const main = mainLossOf([plant.mainLoss]) * plantDischarge[t] ** 2;
      const worst = Math.max(
        0,
        ...[...penstockFlows].map(([k, flow]) => penstockLossOf(plant.penstockLoss, k) * flow ** 2),
      );
      headLoss[t] = plantDischarge[t] > 0 ? main + worst : 0;
      effHead[t] = gross[t] - headLoss[t];
    });
    put('plant', plant.name, 'production', flowSeries(plantProduction));
    put('plant', plant.name, 'solver_production', flowSeries(plantSolver));
    put('plant', plant.name, 'discharge', flowSeries(plantDischarge));
    put('plant', plant.name, 'gross_head', flowSeries(gross));
    put('plant', plant.name, 'eff_head', flowSeries(effHead));
    put('plant', plant.name, 'head_loss', flowSeries(headLoss));
  });

  let spill = 0;
  let bypass = 0;
  system.gates.forEach((gate, i) => {
    put('gate', gate.name, 'discharge', flowSeries(solution.gate[i]));
    const volume = solution.gate[i].reduce((sum, flow, t) => sum + flow * MM3_PER_M3S_HOUR * system.steps[t].hours, 0);
    if (gate.kind === 'spill') spill += SPILL_COST * volume;
    if (gate.kind === 'bypass') bypass += BYPASS_COST * volume;
  });

  let marketSaleBuy = 0;
  system.markets.forEach((market, m) => {
    put('market', market.name, 'sale', flowSeries(solution.sale[m]));
    put('market', market.name, 'buy', flowSeries(solution.buy[m]));
    system.steps.forEach((step, t) => {
      marketSaleBuy +=
        step.hours * (market.buyPrice[t] * solution.buy[m][t] - market.salePrice[t] * solution.sale[m][t]);
    });
  });

  const end = solution.storage.map((row) => row[row.length - 1]);
  const rsvEndValue = -system.reservoirs.reduce((sum, _, r) => sum + waterValues[r] * end[r], 0);
  const rsvEndValueRelative = system.reservoirs.reduce((sum, _, r) => sum + waterValues[r] * (start[r] - end[r]), 0);
  const penalties = spill + bypass;
  const total = marketSaleBuy + startupCosts + penalties;
  const objective: ObjectiveBreakdown = {
    grand_total: total + rsvEndValue,
    total,
    market_sale_buy: marketSaleBuy,
    startup_costs: startupCosts,
    rsv_end_value: rsvEndValue,
    rsv_end_value_relative: rsvEndValueRelative,
    sum_penalties: penalties,
    gate_spill_cost: spill,
    bypass_cost: bypass,
    physical_spill_cost: 0,
  };
  for (const [attribute, value] of Object.entries(objective)) put('objective', 'average_objective', attribute, value);
  return { outputs, objective };
}
