/**
 * `start sim`: SHOP's iteration scheme (modelling.md) over the stored model. Each iteration
 * linearises power at the heads of the previous iteration's storage trajectory, solves, and
 * the last one's results are recomputed with the nonlinear physics and returned as SHOP
 * output attributes. Pure apart from the `solve` callback (a provider or the worker pool).
 *
 * This file is the iteration loop; the unit curves, head terms, trajectory, results and
 * objective, used-attribute warnings and per-run setup are modules of their own beside it.
 */
import type { SolverRun } from '../../shop/command-interpreter.js';
import type { OutputAttribute, ShopModelJson, Txy } from '../../shop/shop-json.js';
import {
  energyConversionFactors,
  globalWaterValues,
  reservoirData,
  type ShopModelLike,
  unitOf,
} from '../physics/cascade.js';
import { power, type Unit } from '../physics/generator.js';
import { grossHead, mainLossOf, penstockLossOf } from '../physics/plant.js';
import { levelFromVolume, MM3_PER_M3S_HOUR, startVolume } from '../physics/reservoir.js';
import { hydroSystem, type HydroSystem } from '../problem/hydro-system.js';
import type { StorageLimit } from '../problem/iteration-input.js';
import { buildIterationProblem, type IterationProblem } from '../problem/iteration-problem.js';
import { toLpFormat } from '../providers/lp-format.js';
import type { SolveResult } from '../providers/optimization-provider.js';
import { headTerms, linearHeadPower, unitHeadCoefficients, unitNetHeads } from './head-coefficients.js';
import { conflictLogLines, conflictReport, type ConflictReport } from './infeasibility.js';
import type { Log, Solve } from './optimizer.types.js';
import { loadPenaltyOf, solveOptions, storageLimits, withDelaysInSteps } from './run-setup.js';
import { RUNNING, readTrajectory, startLevels, type Trajectory } from './trajectory.js';
import { unitCurves, unitKeys } from './unit-curves.js';
import { warnAboutUnused } from './used-attributes.js';

export type { Log, Solve } from './optimizer.types.js';

export interface ObjectiveBreakdown {
  grand_total: number;
  total: number;
  market_sale_buy: number;
  startup_costs: number;
  rsv_end_value: number;
  rsv_end_value_relative: number;
  sum_penalties: number;
  major_penalties: number;
  minor_penalties: number;
  rsv_penalty: number;
  rsv_hard_limit_penalty: number;
  load_penalty: number;
  gate_spill_cost: number;
  bypass_cost: number;
  physical_spill_cost: number;
  physical_spill_volume: number;
}

/** Small costs so that water is not spilled or bypassed when a plant could use it (currency/Mm3). */
const SPILL_COST = 0.01 / MM3_PER_M3S_HOUR;
const BYPASS_COST = 0.01 / MM3_PER_M3S_HOUR;

export interface OptimizationOutcome {
  status: SolveResult['status'];
  outputs: OutputAttribute[];
  objective?: ObjectiveBreakdown;
  iterations: number;
  /** An infeasible iteration's conflicting constraints, in model terms (when the solver found them). */
  conflict?: ConflictReport;
  /** That conflict as a problem of its own, in CPLEX LP format (for --minimal-infeasible-problem-file). */
  infeasibleProblemLp?: string;
}

/** What every iteration of every run reads from the model. */
interface ModelData {
  reservoirIndex: Map<string, number>;
  /** Mm3 per reservoir */
  start: number[];
  waterValues: number[];
  /** [plant][generator] */
  units: Unit[][];
  unitKeys: number[][];
}

/** What one iteration leaves to the next. */
interface LoopState {
  previous?: Trajectory;
  /** The last full (not incremental) iteration's solution. */
  lastFull?: Trajectory;
  status: SolveResult['status'];
  count: number;
  fullIterations: number;
}

export async function optimize(
  model: ShopModelJson,
  runs: SolverRun[],
  solve: Solve,
  log: Log,
): Promise<OptimizationOutcome> {
  const base = hydroSystem(model);
  warnAboutUnused(model, log);
  const data = modelData(model, base);
  const state: LoopState = { status: 'optimal', count: 0, fullIterations: 0 };
  let system = base;
  let limits: StorageLimit[] = [];
  for (const run of runs) {
    system = withDelaysInSteps(base, run.settings.timeDelayUnit, log);
    limits = storageLimits(system, run.settings);
    for (let iteration = 0; iteration < run.iterations; iteration++) {
      const failed = await iterate(data, system, limits, run, state, solve, log);
      if (failed) return failed;
    }
  }
  if (!state.previous) return { status: state.status, outputs: [], iterations: 0 };
  const { start, waterValues, units } = data;
  return {
    status: state.status,
    iterations: state.count,
    ...results(model, system, start, waterValues, units, limits, state.previous),
  };
}

function modelData(model: ShopModelJson, system: HydroSystem): ModelData {
  const objects = model.model as ShopModelLike;
  const reservoirIndex = new Map(system.reservoirs.map((r, i) => [r.name, i]));
  const start = system.reservoirs.map((r) => startVolume(reservoirData(objects.reservoir![r.name])));
  const waterValueByName = globalWaterValues(objects, model.connections ?? []);
  return {
    reservoirIndex,
    start,
    waterValues: system.reservoirs.map((r) => waterValueByName.get(r.name) ?? 0),
    units: system.plants.map((plant) => plant.generators.map((g) => unitOf(objects.generator![g.name]))),
    unitKeys: unitKeys(system),
  };
}

/** One iteration: build, solve, read the solution back; an outcome only when it has no solution. */
async function iterate(
  data: ModelData,
  system: HydroSystem,
  limits: StorageLimit[],
  run: SolverRun,
  state: LoopState,
  solve: Solve,
  log: Log,
): Promise<OptimizationOutcome | undefined> {
  state.count++;
  const incremental = run.mode === 'incremental' && state.lastFull !== undefined;
  const { problem, headPart } = iterationProblem(data, system, limits, run, state, incremental);
  const began = performance.now();
  const result = await solve(problem.lp, solveOptions(run.settings));
  const seconds = (performance.now() - began) / 1000;
  state.status = result.status;
  const mode = incremental ? 'incremental' : 'full';
  if (!result.hasSolution) return failedIteration(result, system, state.count, mode, log);
  log(
    'INFO',
    `Iteration ${state.count} (${mode}): objective ${result.objective.toFixed(2)}, status ${result.status}` +
      `${result.mipGap !== undefined ? `, gap ${result.mipGap.toExponential(2)}` : ''}, ` +
      `${problem.lp.colCost.length} columns, ${problem.lp.rowLower.length} rows, ${seconds.toFixed(3)} s`,
  );
  state.previous = readTrajectory(problem.index, result, headPart);
  if (!incremental) {
    state.lastFull = state.previous;
    state.fullIterations++;
  }
  return undefined;
}

/** The iteration's LP, at the heads of the previous iteration, and how to read its head terms back. */
function iterationProblem(
  data: ModelData,
  system: HydroSystem,
  limits: StorageLimit[],
  run: SolverRun,
  state: LoopState,
  incremental: boolean,
): { problem: IterationProblem; headPart: Parameters<typeof readTrajectory>[2] } {
  const { previous, lastFull } = state;
  const { reservoirIndex, start, units } = data;
  const levels = startLevels(system, start, previous?.storage);
  // "Two full iterations are needed to activate head optimization" (SHOP).
  const headOptimization =
    run.settings.headOptimization && previous !== undefined && (incremental || state.fullIterations >= 2);
  const headK = headOptimization
    ? unitHeadCoefficients(system, units, levels, reservoirIndex, start, previous!)
    : undefined;
  const committed = (p: number, g: number, t: number) => (lastFull?.discharge[p][g][t] ?? 0) > RUNNING;
  const binaries = system.plants.map((plant) =>
    system.steps.map((_, t) => !incremental && (run.settings.universalMip ?? plant.mipFlag[t] === 1)),
  );
  const curves = unitCurves({ ...data, system, levels, binaries, settings: run.settings, incremental, committed });
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
    waterValues: data.waterValues,
    spillCost: SPILL_COST,
    bypassCost: BYPASS_COST,
    overflowCost: system.globalSettings.overflowCost,
    storageLimits: limits,
    loadPenalty: loadPenaltyOf(system, run.settings),
    headTerms: headK ? headTerms(system, reservoirIndex, headK, previous!) : undefined,
  });
  const headPart = headK ? linearHeadPower(system, reservoirIndex, headK, previous!) : () => 0;
  return { problem, headPart };
}

/** The outcome of an iteration without a solution, with the conflict the solver found. */
function failedIteration(
  result: SolveResult,
  system: HydroSystem,
  count: number,
  mode: string,
  log: Log,
): OptimizationOutcome {
  log('ERROR', `Iteration ${count} (${mode}): ${result.status}${result.message ? `: ${result.message}` : ''}`);
  const conflict = result.conflict && conflictReport(result.conflict, system.steps);
  if (conflict) conflictLogLines(conflict).forEach((line) => log('ERROR', line));
  const lp = result.conflict?.lp;
  const comment = `Tarn: minimal infeasible subsystem (HiGHS IIS) of iteration ${count} (${mode})`;
  return {
    status: result.status,
    outputs: [],
    iterations: count,
    ...(conflict ? { conflict } : {}),
    ...(lp ? { infeasibleProblemLp: toLpFormat(lp, { comment }) } : {}),
  };
}

/** The last iteration's results, with production recomputed from actual flows and heads. */
function results(
  model: ShopModelJson,
  system: HydroSystem,
  start: number[],
  waterValues: number[],
  units: Unit[][],
  limits: StorageLimit[],
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
        return power(units[p][g], q[t], unitNetHeads(plant, flows, gross[t])[g]);
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

  // Soft limits: the violation (Mm3) and its cost per reservoir and step.
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
  let overflowVolume = 0;
  system.reservoirs.forEach((reservoir, r) => {
    put('reservoir', reservoir.name, 'penalty', flowSeries(reservoirPenalty[r]));
    put('reservoir', reservoir.name, 'penalty_nok', flowSeries(reservoirPenaltyCost[r]));
    system.steps.forEach((step, t) => (overflowVolume += solution.overflow[r][t] * MM3_PER_M3S_HOUR * step.hours));
  });
  const loadPenaltyVolume = system.steps.reduce((sum, step, t) => sum + solution.loadShortfall[t] * step.hours, 0);
  const loadPenalty = loadPenaltyVolume * gs.loadPenaltyCost;
  system.markets.forEach((market, m) => {
    // The market balance is one row over all markets: the load not met is reported on the first.
    if (m === 0) put('market', market.name, 'load_penalty', flowSeries(solution.loadShortfall));
  });
  const overflowCost = overflowVolume * gs.overflowCost;

  const end = solution.storage.map((row) => row[row.length - 1]);
  const rsvEndValue = -system.reservoirs.reduce((sum, _, r) => sum + waterValues[r] * end[r], 0);
  const rsvEndValueRelative = system.reservoirs.reduce((sum, _, r) => sum + waterValues[r] * (start[r] - end[r]), 0);
  const major = rsvPenalty + rsvHardLimitPenalty + loadPenalty + overflowCost;
  const minor = spill + bypass;
  const penalties = major + minor;
  const total = marketSaleBuy + startupCosts + penalties;
  const objective: ObjectiveBreakdown = {
    grand_total: total + rsvEndValue,
    total,
    market_sale_buy: marketSaleBuy,
    startup_costs: startupCosts,
    rsv_end_value: rsvEndValue,
    rsv_end_value_relative: rsvEndValueRelative,
    sum_penalties: penalties,
    major_penalties: major,
    minor_penalties: minor,
    rsv_penalty: rsvPenalty,
    rsv_hard_limit_penalty: rsvHardLimitPenalty,
    load_penalty: loadPenalty,
    gate_spill_cost: spill,
    bypass_cost: bypass,
    physical_spill_cost: overflowCost,
    physical_spill_volume: overflowVolume,
  };
  for (const [attribute, value] of Object.entries(objective)) put('objective', 'average_objective', attribute, value);
  return { outputs, objective };
}
