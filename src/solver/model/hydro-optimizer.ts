/**
 * `start sim`: SHOP's iteration scheme (modelling.md) over the stored model. Each iteration
 * linearises power at the heads of the previous iteration's storage trajectory, solves, and
 * the last one's results are recomputed with the nonlinear physics and returned as SHOP
 * output attributes. Pure apart from the `solve` callback (a provider or the worker pool).
 * A session's runs go on from one another (continuation.ts), as `start sim`s do in one SHOP session.
 *
 * This file is the iteration loop; the unit curves, head terms, trajectory, results and
 * objective, used-attribute warnings and per-run setup are modules of their own beside it.
 */
import type { SolverRun } from '../../shop/command-interpreter.js';
import type { OutputAttribute, ShopModelJson } from '../../shop/shop-json.js';
import {
  energyConversionFactors,
  globalWaterValues,
  reservoirData,
  type ShopModelLike,
  unitOf,
} from '../physics/cascade.js';
import type { Unit } from '../physics/generator.js';
import { tableMarginalAt } from '../physics/end-value.js';
import { startVolume } from '../physics/reservoir.js';
import { hydroSystem, type HydroSystem } from '../problem/hydro-system.js';
import type { StorageLimit, TransitValues } from '../problem/iteration-input.js';
import type { WaterwayPoint } from '../problem/waterways.js';
import { withRivers } from '../problem/river-data.js';
import { withGateFunctions } from '../problem/gate-data.js';
import { withCutGroups } from '../problem/cut-data.js';
import { withReserves, withReserveSettings } from '../problem/reserve-data.js';
import { withDiscreteDroops } from '../problem/droop-discretization.js';
import {
  checkScenarioInputs,
  scenarioModel,
  scenarioSet,
  type ScenarioSet,
  stochasticSeriesPaths,
} from '../problem/scenarios.js';
import { combineScenarioProblems, nonAnticipativityLinks, scenarioSolution } from '../problem/scenario-problem.js';
import { scenarioOutcome } from './scenario-results.js';
import { cutMarginalValues } from './cut-results.js';
import { buildIterationProblem, type IterationProblem } from '../problem/iteration-problem.js';
import { LpBuilder } from '../problem/lp-builder.js';
import { toLpFormat } from '../providers/lp-format.js';
import type { SolveResult } from '../providers/optimization-provider.js';
import { headTerms, linearHeadPower, unitHeadCoefficients, unitHeadTerms } from './head-coefficients.js';
import { conflictLogLines, conflictReport, type ConflictReport } from './infeasibility.js';
import { BYPASS_COST, type ObjectiveBreakdown, SPILL_COST } from './objective.js';
import type { Log, Solve } from './optimizer.types.js';
import { results } from './results.js';
import { logWaterways, transitValues, waterwayInput, withDelays } from './delays.js';
import { loadPenaltyOf, solveOptions, storageLimits } from './run-setup.js';
import { RUNNING, readTrajectory, startLevels, type Trajectory } from './trajectory.js';
import { unitCurves, unitKeys } from './unit-curves.js';
import { withStartRules } from './start-rules.js';
import {
  hasPumps,
  preparePumps,
  warnAboutLonePumps,
  pumpHeadTerms,
  pumpIteration,
  readPumpTrajectory,
} from './pump-iteration.js';
import type { Pump } from '../physics/pump.js';
import { warnAboutUnused } from './used-attributes.js';
import { addNetworkHeadPower, logTunnelCosts, tunnelPoint } from './tunnel-state.js';
import { type Continuation, systemShape } from './continuation.js';
import { solveWithMinimums } from './minimum-deliveries.js';

export type { Log, Solve } from './optimizer.types.js';
export type { ObjectiveBreakdown } from './objective.js';
export type { Continuation } from './continuation.js';

export interface OptimizationOutcome {
  status: SolveResult['status'];
  outputs: OutputAttribute[];
  objective?: ObjectiveBreakdown;
  iterations: number;
  /** An infeasible iteration's conflicting constraints, in model terms (when the solver found them). */
  conflict?: ConflictReport;
  /** That conflict as a problem of its own, in CPLEX LP format (for --minimal-infeasible-problem-file). */
  infeasibleProblemLp?: string;
  /** What the session's next run goes on from; only when this one ended with a solution. */
  continuation?: Continuation;
}

/** What every iteration of every run reads from the model. */
interface ModelData {
  reservoirIndex: Map<string, number>;
  /** Mm3 per reservoir */
  start: number[];
  waterValues: number[];
  /** MWh/Mm3 per reservoir, where it has a plant below */
  ecfs: Array<number | undefined>;
  /** The run's values of water in transit at the end (set per run). */
  transit?: TransitValues;
  /** [plant][generator] */
  units: Unit[][];
  unitKeys: number[][];
  /** [plant][pump] */
  pumps: Pump[][];
}

/** One scenario of the run (a deterministic model is one): its model, system and what it reads. */
interface ScenarioRun {
  model: ShopModelJson;
  base: HydroSystem;
  data: ModelData;
  /** The run's system (delays, reserve settings) and storage limits, set per run. */
  system: HydroSystem;
  limits: StorageLimit[];
  path: ScenarioPath;
  /** Builds every iteration's problem, reusing its arrays (and names, while they do not change). */
  builder: LpBuilder;
}

/** One scenario's solutions so far. */
interface ScenarioPath {
  previous?: Trajectory;
  /** The last full (not incremental) iteration's solution. */
  lastFull?: Trajectory;
}

/** What one iteration leaves to the next (and, as a Continuation, one run of the session to the next). */
interface LoopState {
  status: SolveResult['status'];
  /** Iterations so far, also those of the session's earlier runs this one goes on from. */
  count: number;
  /** `count` before this call: its own iterations are the ones after. */
  before: number;
  fullIterations: number;
}

/**
 * Runs `runs` in order. `resume`: what the session's previous run left (its outcome's
 * `continuation`); the iterations go on from it as SHOP's do within one session, unless the
 * model's objects or time steps have changed since. A model with several scenarios
 * (modelling-2.md §6) solves them in one problem per iteration, each scenario linearised at
 * its own previous solution.
 */
export async function optimize(
  model: ShopModelJson,
  runs: SolverRun[],
  solve: Solve,
  log: Log,
  resume?: Continuation,
): Promise<OptimizationOutcome> {
  model = withStartRules(model, log);
  const set = scenarioSet(model);
  checkScenarioInputs(model, set);
  const count = set.names.length;
  if (count === 1) {
    const stochastic = stochasticSeriesPaths(model);
    if (stochastic.length) {
      log(
        'WARNING',
        `${stochastic.join(', ')}: several scenarios, but the model has one scenario object (S1); the first is used`,
      );
    }
  } else {
    log('INFO', `${count} scenarios (${set.names.join(', ')}), solved together in each iteration`);
  }
  const quiet: Log = () => undefined;
  const scenarios = set.names.map((_, s) => scenarioRun(count === 1 ? model : scenarioModel(model, s)));
  const first = scenarios[0];
  warnAboutUnused(model, log);
  warnAboutLonePumps(model, first.base, log);
  logWaterways(first.base, log);
  const shape = count === 1 ? systemShape(first.base) : `${systemShape(first.base)}:${count}`;
  const state = loopState(resume, shape, scenarios, log);
  for (const run of runs) {
    scenarios.forEach((scenario, s) => {
      const delayed = withDelays(scenario.base, run.settings.timeDelayUnit, s === 0 ? log : quiet);
      scenario.system = withReserveSettings(delayed, run.settings);
      scenario.data.transit = transitValues(scenario.system, scenario.data.waterValues, scenario.data.ecfs);
      scenario.limits = storageLimits(scenario.system, run.settings);
    });
    for (let iteration = 0; iteration < run.iterations; iteration++) {
      const failed = await iterate(scenarios, set, run, state, solve, log);
      if (failed) return { ...failed, iterations: state.count - state.before };
    }
  }
  const iterations = state.count - state.before;
  if (!first.path.previous || iterations === 0) return { status: state.status, outputs: [], iterations };
  const outcomes = scenarios.map(({ model: own, system, data, limits, path }) =>
    results(
      {
        model: own,
        system,
        start: data.start,
        waterValues: data.waterValues,
        units: data.units,
        limits,
        pumps: data.pumps,
        transit: data.transit,
      },
      path.previous!,
    ),
  );
  const outcome = count === 1 ? outcomes[0] : scenarioOutcome(outcomes, set);
  logTunnelCosts(first.path.previous, log);
  const ramping = outcome.objective.reserve_ramping_cost;
  if (ramping) log('INFO', `Reserve ramping cost ${ramping.toFixed(2)}: counted in minor_penalties (Tarn)`);
  const { count: total, fullIterations } = state;
  const continuation: Continuation = {
    shape,
    previous: first.path.previous,
    lastFull: first.path.lastFull,
    iterations: total,
    fullIterations,
    ...(count > 1
      ? { scenarios: scenarios.slice(1).map(({ path }) => ({ previous: path.previous!, lastFull: path.lastFull })) }
      : {}),
  };
  return { status: state.status, iterations, ...outcome, continuation };
}

/** A scenario's model, system and what it reads, before the first run. */
function scenarioRun(own: ShopModelJson): ScenarioRun {
  const base = withReserves(withCutGroups(withGateFunctions(withRivers(hydroSystem(own), own), own), own), own);
  return { model: own, base, data: modelData(own, base), system: base, limits: [], path: {}, builder: new LpBuilder() };
}

/**
 * The loop's state at the start: the session's previous run's, where it was made on a system of
 * this shape (and as many scenarios); its solutions go to the scenarios' paths.
 */
function loopState(resume: Continuation | undefined, shape: string, scenarios: ScenarioRun[], log: Log): LoopState {
  const fresh: LoopState = { status: 'optimal', count: 0, before: 0, fullIterations: 0 };
  if (!resume) return fresh;
  if (resume.shape !== shape) {
    log(
      'INFO',
      `The iterations start afresh: the model's objects, time steps or scenarios changed since the session's ` +
        `previous run (after its iteration ${resume.iterations})`,
    );
    return fresh;
  }
  const { previous, lastFull, iterations, fullIterations } = resume;
  scenarios[0].path = { previous, lastFull };
  resume.scenarios?.forEach((path, s) => (scenarios[s + 1].path = { ...path }));
  return { status: 'optimal', count: iterations, before: iterations, fullIterations };
}

function modelData(model: ShopModelJson, system: HydroSystem): ModelData {
  const objects = model.model as ShopModelLike;
  const reservoirIndex = new Map(system.reservoirs.map((r, i) => [r.name, i]));
  const start = system.reservoirs.map((r) => startVolume(reservoirData(objects.reservoir![r.name])));
  // Water-value tables beat energy values; reservoirs above count a table's marginal value at the start volume.
  // So do cut reservoirs, with the binding coefficient at the start volumes.
  const tableValues = new Map<string, number>();
  system.reservoirs.forEach((r, i) => {
    if (r.endValueTable) tableValues.set(r.name, tableMarginalAt(r.endValueTable, start[i]));
  });
  const cutValues = cutMarginalValues(system, start);
  cutValues.forEach((value, r) => tableValues.set(system.reservoirs[r].name, value));
  const waterValueByName = globalWaterValues(objects, model.connections ?? [], tableValues);
  const ecfByName = energyConversionFactors(objects, model.connections ?? []);
  return {
    reservoirIndex,
    start,
    // A cut reservoir's water (in transit too) is valued by its group's cuts, not per Mm3.
    waterValues: system.reservoirs.map((r, i) => (cutValues.has(i) ? 0 : (waterValueByName.get(r.name) ?? 0))),
    ecfs: system.reservoirs.map((r) => ecfByName.get(r.name)?.ecf),
    units: system.plants.map((plant) => plant.generators.map((g) => unitOf(objects.generator![g.name]))),
    unitKeys: unitKeys(system),
    pumps: preparePumps(system),
  };
}

/**
 * One iteration: build each scenario's problem, solve them (as one, with non-anticipativity rows,
 * when there are several), read each scenario's solution back; an outcome only when there is no solution.
 */
async function iterate(
  scenarios: ScenarioRun[],
  set: ScenarioSet,
  run: SolverRun,
  state: LoopState,
  solve: Solve,
  log: Log,
): Promise<OptimizationOutcome | undefined> {
  state.count++;
  const incremental = run.mode === 'incremental' && scenarios[0].path.lastFull !== undefined;
  const parts = scenarios.map(({ data, system, limits, path, builder }) => {
    // `set droop_discretization_limit`: droops fixed from the previous iteration's results.
    const droopFixed = withDiscreteDroops(system, path.previous?.reserves?.droop);
    const view = { ...path, fullIterations: state.fullIterations };
    return { system: droopFixed, ...iterationProblem(data, droopFixed, limits, run, view, incremental, builder) };
  });
  const lps = parts.map((part) => part.problem.lp);
  const combined =
    parts.length === 1
      ? undefined
      : combineScenarioProblems(
          lps,
          set.probabilities,
          nonAnticipativityLinks(lps, set, run.settings.commonDecisionSteps ?? 0),
        );
  const lp = combined?.lp ?? lps[0];
  const began = performance.now();
  // Each scenario's minimum deliveries, at its block's columns.
  const minimums = parts.flatMap(({ problem }, s) =>
    (problem.index.reserves?.minimums ?? []).map((m) => {
      const shift = combined?.columnOffsets[s] ?? 0;
      return { ...m, on: m.on + shift, delivery: m.delivery + shift };
    }),
  );
  // A tunnel network's LP has alternative optima at which its head losses are not tight: a warm
  // start may end at one of them, so such runs are solved cold (see README, Warm starts).
  const warmStart = !parts.some((part) => part.tunnels);
  const result = await solveWithMinimums(lp, minimums, solve, { ...solveOptions(run.settings), warmStart }, log);
  const seconds = (performance.now() - began) / 1000;
  state.status = result.status;
  const mode = incremental ? 'incremental' : 'full';
  if (!result.hasSolution) return failedIteration(result, parts[0].system, state.count, mode, log);
  log(
    'INFO',
    `Iteration ${state.count} (${mode}): objective ${result.objective.toFixed(2)}, status ${result.status}` +
      `${result.mipGap !== undefined ? `, gap ${result.mipGap.toExponential(2)}` : ''}, ` +
      `${lp.colCost.length} columns, ${lp.rowLower.length} rows` +
      `${combined ? ` (${parts.length} scenarios, ${combined.links} non-anticipativity rows)` : ''}, ${seconds.toFixed(3)} s`,
  );
  parts.forEach(({ problem, headPart, pumpPart, tunnels }, s) => {
    const own = combined ? scenarioSolution(combined, problem.lp, s, result) : result;
    const path = scenarios[s].path;
    path.previous = readTrajectory(problem.index, own, headPart);
    addNetworkHeadPower(tunnels, path.previous);
    if (pumpPart) {
      const { iteration, head } = pumpPart;
      path.previous.pumps = readPumpTrajectory(problem.index, own, iteration, head, path.previous.storage);
    }
    if (!incremental) path.lastFull = path.previous;
  });
  if (!incremental) state.fullIterations++;
  return undefined;
}

/** The iteration's LP, at the heads of the previous iteration, and how to read its head terms back. */
function iterationProblem(
  data: ModelData,
  system: HydroSystem,
  limits: StorageLimit[],
  run: SolverRun,
  state: ScenarioPath & { fullIterations: number },
  incremental: boolean,
  builder: LpBuilder,
): {
  problem: IterationProblem;
  headPart: Parameters<typeof readTrajectory>[2];
  pumpPart?: { iteration: ReturnType<typeof pumpIteration>; head: Parameters<typeof readPumpTrajectory>[3] };
  tunnels?: WaterwayPoint;
} {
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
  const tunnels = tunnelPoint(system, units, start, previous, lastFull, incremental, headOptimization);
  const curves = unitCurves({
    ...data,
    system,
    levels,
    binaries,
    settings: run.settings,
    incremental,
    committed,
    upstreamLevels: tunnels?.plantLevels.upstream,
    downstreamLevels: tunnels?.plantLevels.downstream,
    networkLoss: tunnels?.plantLevels.networkLoss,
  });
  const fixedCommitment = incremental
    ? system.plants.map((plant, p) =>
        plant.generators.map((_, g) => system.steps.map((__, t) => (committed(p, g, t) ? 1 : 0) as 0 | 1)),
      )
    : undefined;
  const pumps = hasPumps(system)
    ? pumpIteration({
        ...{ system, pumps: data.pumps, levels, reservoirIndex, binaries, incremental, previous, lastFull },
        upstreamLevels: tunnels?.plantLevels.upstream,
      })
    : undefined;
  // Pumps join head optimization only after `set pump_head_optimization /on` (or the global setting).
  const pumpHead =
    pumps && headOptimization && (run.settings.pumpHeadOptimization || system.globalSettings.pumpHeadOptimization)
      ? pumpHeadTerms(system, data.pumps, levels, reservoirIndex, previous!, start)
      : undefined;
  const problem = buildIterationProblem(
    {
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
      ...reserveHeadTerms(system, reservoirIndex, headK, previous),
      ...(pumps ? { pumps: pumps.steps, pumpHeadTerms: pumpHead?.terms } : {}),
      ...waterwayInput(data.transit, previous, run.settings),
      ...(tunnels ? { waterways: tunnels.point } : {}),
    },
    builder,
  );
  const headPart = headK ? linearHeadPower(system, reservoirIndex, headK, previous!) : () => 0;
  const pumpPart = pumps ? { iteration: pumps, head: pumpHead?.part ?? (() => 0) } : undefined;
  return { problem, headPart, pumpPart, tunnels: tunnels?.point };
}

/** With reserves and head optimization: each unit's head terms, which its reserve rows count. */
function reserveHeadTerms(
  system: HydroSystem,
  reservoirIndex: Map<string, number>,
  headK: ReturnType<typeof unitHeadCoefficients> | undefined,
  previous: Trajectory | undefined,
): { unitHeadTerms?: ReturnType<typeof unitHeadTerms> } {
  if (!headK || !previous || !system.reserves) return {};
  return { unitHeadTerms: unitHeadTerms(system, reservoirIndex, headK, previous) };
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
