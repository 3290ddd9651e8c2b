/**
 * `start sim`: SHOP's iteration scheme (modelling.md) over the stored model. Each iteration
 * linearises power at the heads of the previous iteration's storage trajectory, solves, and
 * the last one's results are recomputed with the nonlinear physics and returned as SHOP
 * output attributes. Pure apart from the `solve` callback (a provider or the worker pool).
 */
import { attributeInfo } from '../../shop/catalog.js';
import type { OutputAttribute, ShopModelJson, Txy } from '../../shop/shop-json.js';
import type { SolverSettings } from '../../shop/solver-settings.js';
import type { SolverRun } from '../../shop/command-interpreter.js';
import type { LinearProgram, SolveOptions, SolveResult } from '../providers/optimization-provider.js';
import {
  energyConversionFactors,
  globalWaterValues,
  reservoirData,
  type ShopModelLike,
  unitOf,
} from '../physics/cascade.js';
import { power, type Unit } from '../physics/generator.js';
import { headCoefficients } from '../physics/head-optimization.js';
import { grossHead, mainLossOf, penstockLossOf, plantUnitLosses } from '../physics/plant.js';
import { pqCurve } from '../physics/pq-curve.js';
import { levelFromVolume, startVolume, volumeBounds } from '../physics/reservoir.js';
import { conflictLogLines, conflictReport, type ConflictReport } from './infeasibility.js';
import { toLpFormat } from '../providers/lp-format.js';
import { hydroSystem, type HydroSystem, type PlantData } from '../problem/hydro-system.js';
import {
  buildIterationProblem,
  type HeadTerm,
  MM3_PER_M3S_HOUR,
  type StorageLimit,
  type UnitCurve,
} from '../problem/iteration-problem.js';

export type Solve = (lp: LinearProgram, options: SolveOptions) => Promise<SolveResult>;
export type Log = (level: 'INFO' | 'WARNING' | 'ERROR', message: string) => void;

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
const RUNNING = 1e-6;
const NO_CURVE: UnitCurve = Object.freeze({ qMin: 0, pAtQmin: 0, segments: [] }) as unknown as UnitCurve;
/**
 * The input attributes the optimization reads, per object type it models (`objective` holds
 * results). Others are stored and returned, but named in a WARNING when a model sets them.
 * `flow_descr` and `prod_area` count as read: the first is documented as not modelled yet
 * (overflow leaves at `overflow_cost`), the second is one area in every model Tarn optimizes.
 */
const USED_ATTRIBUTES: Readonly<Record<string, ReadonlySet<string>>> = {
  reservoir: new Set([
    ...['max_vol', 'lrl', 'hrl', 'vol_head', 'start_vol', 'start_head', 'inflow', 'energy_value_input', 'flow_descr'],
    ...['min_vol_constr', 'min_vol_constr_flag', 'max_vol_constr', 'max_vol_constr_flag'],
  ]),
  plant: new Set(['outlet_line', 'main_loss', 'penstock_loss', 'time_delay', 'mip_flag', 'prod_area']),
  generator: new Set([
    'penstock',
    'p_min',
    'p_max',
    'p_nom',
    'gen_eff_curve',
    'turb_eff_curves',
    'startcost',
    'initial_state',
  ]),
  gate: new Set(['max_discharge', 'time_delay']),
  market: new Set(['sale_price', 'buy_price', 'max_sale', 'max_buy', 'load', 'market_type', 'prod_area']),
  global_settings: new Set([
    ...['rsv_penalty_flag', 'load_penalty_flag', 'rsv_penalty_cost', 'rsv_hard_limit_penalty_cost'],
    ...['load_penalty_cost', 'overflow_cost'],
  ]),
  objective: new Set(),
};

/** WARNINGs for what the model holds that the optimization leaves out. */
function warnAboutUnused(model: ShopModelJson, log: Log): void {
  for (const [type, objects] of Object.entries(model.model)) {
    const names = Object.keys(objects ?? {});
    if (!names.length) continue;
    const used = USED_ATTRIBUTES[type];
    if (!used) {
      log(
        'WARNING',
        `${type} ${names.join(', ')}: Tarn does not model ${type} objects yet; left out of the optimization`,
      );
      continue;
    }
    const unused = new Set<string>();
    for (const attributes of Object.values(objects as Record<string, Record<string, unknown>>)) {
      for (const attribute of Object.keys(attributes ?? {})) {
        if (!used.has(attribute) && attributeInfo(type, attribute)?.isOutput !== true) unused.add(attribute);
      }
    }
    if (unused.size)
      log('WARNING', `${type} attributes ${[...unused].join(', ')}: not used by Tarn's optimization yet`);
  }
}

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
  /** [reservoir][t], m3/s */
  overflow: number[][];
  /** Mm3 per storage limit (input order); 0 for hard ones */
  limitViolation: number[];
  /** [t], MW */
  loadShortfall: number[];
  objective: number;
}

/**
 * Plant and gate `time_delay` in steps, read in the unit `set time_delay_unit` gives (SHOP's
 * default: time steps). Hours and minutes are rounded to whole steps of the first step's
 * length; a delay that is not a whole number of steps is logged.
 */
function withDelaysInSteps(system: HydroSystem, unit: SolverSettings['timeDelayUnit'], log: Log): HydroSystem {
  if (unit === 'time_step_length') return system;
  const stepHours = system.steps[0]?.hours ?? 1;
  const convert = (kind: string, name: string, delay: number) => {
    const steps = (unit === 'minute' ? delay / 60 : delay) / stepHours;
    if (Math.abs(steps - Math.round(steps)) > 1e-9)
      log(
        'WARNING',
        `${kind} ${name}: time_delay ${delay} ${unit}s is ${steps} steps; rounded to ${Math.round(steps)}`,
      );
    return Math.round(steps);
  };
  return {
    ...system,
    plants: system.plants.map((plant) => ({ ...plant, timeDelay: convert('plant', plant.name, plant.timeDelay) })),
    gates: system.gates.map((gate) => ({ ...gate, timeDelay: convert('gate', gate.name, gate.timeDelay) })),
  };
}

/** Storage limits of the horizon: the regulated range (lrl..hrl) and the min/max_vol_constr schedules. */
function storageLimits(system: HydroSystem, settings: SolverSettings): StorageLimit[] {
  const gs = system.globalSettings;
  const soft = settings.penaltyFlags.reservoir !== false && gs.rsvPenaltyFlag;
  const limits: StorageLimit[] = [];
  system.reservoirs.forEach((reservoir, r) => {
    const range = volumeBounds({
      vol_head: reservoir.volHead,
      max_vol: reservoir.maxVol,
      lrl: reservoir.lrl,
      hrl: reservoir.hrl,
    });
    system.steps.forEach((_, t) => {
      // Levels outside lrl..hrl cost SHOP's hard-limit penalty, so a start outside them stays solvable.
      if (range.min > 1e-9)
        limits.push({
          reservoir: r,
          step: t,
          kind: 'min',
          volume: range.min,
          attribute: 'lrl',
          penalty: gs.rsvHardLimitPenaltyCost,
        });
      if (range.max < reservoir.maxVol - 1e-9)
        limits.push({
          reservoir: r,
          step: t,
          kind: 'max',
          volume: range.max,
          attribute: 'hrl',
          penalty: gs.rsvHardLimitPenaltyCost,
        });
      const penalty = soft ? gs.rsvPenaltyCost : undefined;
      const min = reservoir.minVolConstr?.[t];
      const max = reservoir.maxVolConstr?.[t];
      if (min !== undefined)
        limits.push({ reservoir: r, step: t, kind: 'min', volume: min, attribute: 'min_vol_constr', penalty });
      if (max !== undefined)
        limits.push({ reservoir: r, step: t, kind: 'max', volume: max, attribute: 'max_vol_constr', penalty });
    });
  });
  return limits;
}

/** Net head of each unit of a plant at the given unit flows (losses of the penstocks' and the plant's total flow). */
function unitNetHeads(plant: PlantData, flows: number[], gross: number): number[] {
  const plantFlow = flows.reduce((sum, flow) => sum + flow, 0);
  const main = mainLossOf([plant.mainLoss]) * plantFlow ** 2;
  return plant.generators.map((generator) => {
    const penstockFlow = flows.reduce(
      (sum, flow, i) => sum + (plant.generators[i].penstock === generator.penstock ? flow : 0),
      0,
    );
    return gross - main - penstockLossOf(plant.penstockLoss, generator.penstock) * penstockFlow ** 2;
  });
}

/**
 * Head-optimization coefficients of every unit and step (modelling.md): MW per Mm3 of the
 * upstream (and, when its level sets the tailwater, downstream) storage before the step, at the
 * previous iteration's operating point; 0 for units that did not run there.
 */
function unitHeadCoefficients(
  system: HydroSystem,
  units: Unit[][],
  levels: number[][],
  reservoirIndex: Map<string, number>,
  start: number[],
  previous: Trajectory,
): Array<Array<Array<{ upstream: number; downstream: number }>>> {
  return system.plants.map((plant, p) => {
    const up = plant.upstream === undefined ? undefined : reservoirIndex.get(plant.upstream);
    const down = plant.downstream === undefined ? undefined : reservoirIndex.get(plant.downstream);
    const volumeBefore = (r: number, t: number) => (t === 0 ? start[r] : previous.storage[r][t - 1]);
    const perStep = system.steps.map((_, t) => {
      const flows = plant.generators.map((_, g) => previous.discharge[p][g][t]);
      const downLevel = down === undefined ? undefined : levels[down][t];
      const gross = grossHead(up === undefined ? 0 : levels[up][t], plant.outletLine, downLevel);
      const heads = unitNetHeads(plant, flows, gross);
      return plant.generators.map((_, g) => {
        if (up === undefined || flows[g] <= RUNNING) return { upstream: 0, downstream: 0 };
        const downstream =
          down === undefined
            ? undefined
            : {
                volHead: system.reservoirs[down].volHead,
                volume: volumeBefore(down, t),
                setsTailwater: downLevel! > plant.outletLine,
              };
        return headCoefficients(
          [{ unit: units[p][g], q: flows[g], head: heads[g] }],
          system.reservoirs[up].volHead,
          volumeBefore(up, t),
          downstream,
        );
      });
    });
    return plant.generators.map((_, g) => perStep.map((units) => units[g]));
  });
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
  const base = hydroSystem(model);
  let system = base;
  warnAboutUnused(model, log);
  const reservoirIndex = new Map(system.reservoirs.map((r, i) => [r.name, i]));
  const objects = model.model as ShopModelLike;
  const start = system.reservoirs.map((r) => startVolume(reservoirData(objects.reservoir![r.name])));
  const waterValueByName = globalWaterValues(objects, model.connections ?? []);
  const waterValues = system.reservoirs.map((r) => waterValueByName.get(r.name) ?? 0);
  const units: Unit[][] = system.plants.map((plant) => plant.generators.map((g) => unitOf(objects.generator![g.name])));
  // Generators with the same efficiency curves and limits get the same key.
  const unitKeyOf = new Map<string, number>();
  const unitKeys = system.plants.map((plant) =>
    plant.generators.map((g) => {
      const data = JSON.stringify([g.turbEff, g.genEff, g.pMin, g.pMax]);
      if (!unitKeyOf.has(data)) unitKeyOf.set(data, unitKeyOf.size);
      return unitKeyOf.get(data)!;
    }),
  );

  let previous: Trajectory | undefined;
  let lastFull: Trajectory | undefined;
  let status: SolveResult['status'] = 'optimal';
  let count = 0;
  let fullIterations = 0;
  let limits: StorageLimit[] = [];
  for (const run of runs) {
    system = withDelaysInSteps(base, run.settings.timeDelayUnit, log);
    limits = storageLimits(system, run.settings);
    const gs = system.globalSettings;
    const loadPenalty = run.settings.penaltyFlags.load !== false && gs.loadPenaltyFlag ? gs.loadPenaltyCost : undefined;
    for (let iteration = 0; iteration < run.iterations; iteration++) {
      count++;
      const incremental = run.mode === 'incremental' && lastFull !== undefined;
      const levels = startLevels(system, start, previous?.storage);
      // "Two full iterations are needed to activate head optimization" (SHOP).
      const headOptimization =
        run.settings.headOptimization && previous !== undefined && (incremental || fullIterations >= 2);
      const headK = headOptimization
        ? unitHeadCoefficients(system, units, levels, reservoirIndex, start, previous!)
        : undefined;
      const committed = (p: number, g: number, t: number) => (lastFull?.discharge[p][g][t] ?? 0) > RUNNING;
      const binaries = system.plants.map((plant) =>
        system.steps.map((_, t) => !incremental && (run.settings.universalMip ?? plant.mipFlag[t] === 1)),
      );
      // Units with the same curves (identical generators) at the same head share one PQ curve.
      const curveCache = new Map<string, UnitCurve>();
      const curves: UnitCurve[][][] = system.plants.map((plant, p) => {
        const up = plant.upstream === undefined ? undefined : reservoirIndex.get(plant.upstream);
        const down = plant.downstream === undefined ? undefined : reservoirIndex.get(plant.downstream);
        const penstocks = plant.generators.map((u) => u.penstock);
        const perStep = system.steps.map((_, t): UnitCurve[] => {
          const counted = plant.generators.map((_, i) => !incremental || committed(p, i, t));
          const losses = plantUnitLosses(penstocks, plant.penstockLoss, [plant.mainLoss], counted);
          const head = grossHead(
            up === undefined ? 0 : levels[up][t],
            plant.outletLine,
            down === undefined ? undefined : levels[down][t],
          );
          const nsegBelow = binaries[p][t] ? run.settings.mipNsegDown : run.settings.nsegDown;
          const nsegAbove = binaries[p][t] ? run.settings.mipNsegUp : run.settings.nsegUp;
          const withBinaries = binaries[p][t] || incremental;
          return plant.generators.map((generator, g): UnitCurve => {
            if (incremental && !committed(p, g, t)) return NO_CURVE;
            const l = losses[g];
            const key = `${unitKeys[p][g]}|${head}|${l.penstockLoss}|${l.mainLoss}|${l.unitsOnPenstock}|${l.unitsInPlant}|${nsegBelow}|${nsegAbove}|${withBinaries}`;
            let unitCurve = curveCache.get(key);
            if (!unitCurve) {
              const curve = pqCurve({ ...units[p][g], pMin: generator.pMin, pMax: generator.pMax }, head, l, {
                nsegBelow,
                nsegAbove,
              });
              const form = withBinaries ? curve.withBinaries : curve.withoutBinaries;
              unitCurve = curve.feasible
                ? { qMin: form.qMin, pAtQmin: form.pAtQmin, segments: form.segments }
                : NO_CURVE;
              curveCache.set(key, unitCurve);
            }
            return unitCurve;
          });
        });
        return plant.generators.map((_, g) => perStep.map((step) => step[g]));
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
        overflowCost: gs.overflowCost,
        storageLimits: limits,
        loadPenalty,
        headTerms: headK ? headTerms(system, reservoirIndex, headK, previous!) : undefined,
      });
      const began = performance.now();
      const result = await solve(problem.lp, solveOptions(run.settings));
      const seconds = (performance.now() - began) / 1000;
      status = result.status;
      const mode = incremental ? 'incremental' : 'full';
      if (!result.hasSolution) {
        log('ERROR', `Iteration ${count} (${mode}): ${result.status}${result.message ? `: ${result.message}` : ''}`);
        const conflict = result.conflict && conflictReport(result.conflict, system.steps);
        if (conflict) conflictLogLines(conflict).forEach((line) => log('ERROR', line));
        const lp = result.conflict?.lp;
        const comment = `Tarn: minimal infeasible subsystem (HiGHS IIS) of iteration ${count} (${mode})`;
        return {
          status,
          outputs: [],
          iterations: count,
          ...(conflict ? { conflict } : {}),
          ...(lp ? { infeasibleProblemLp: toLpFormat(lp, { comment }) } : {}),
        };
      }
      log(
        'INFO',
        `Iteration ${count} (${mode}): objective ${result.objective.toFixed(2)}, status ${result.status}` +
          `${result.mipGap !== undefined ? `, gap ${result.mipGap.toExponential(2)}` : ''}, ` +
          `${problem.lp.colCost.length} columns, ${problem.lp.rowLower.length} rows, ${seconds.toFixed(3)} s`,
      );
      const v = (column: number) => result.colValue[column];
      const { index } = problem;
      const storage = index.storage.map((columns) => columns.map(v));
      // The linear model's power of a unit includes its head-optimization term.
      const headPart = (p: number, g: number, t: number) => {
        if (!headK || t === 0) return 0;
        const plant = system.plants[p];
        const k = headK[p][g][t];
        const delta = (name: string | undefined) => {
          const r = name === undefined ? undefined : reservoirIndex.get(name);
          return r === undefined ? 0 : storage[r][t - 1] - previous!.storage[r][t - 1];
        };
        return k.upstream * delta(plant.upstream) - k.downstream * delta(plant.downstream);
      };
      previous = {
        storage,
        discharge: index.unitDischarge.map((plant) => plant.map((columns) => columns.map(v))),
        solverPower: index.unitPower.map((plant, p) =>
          plant.map((columns, g) => columns.map((c, t) => v(c) + headPart(p, g, t))),
        ),
        gate: index.gateDischarge.map((columns) => columns.map(v)),
        sale: index.sale.map((columns) => columns.map(v)),
        buy: index.buy.map((columns) => columns.map(v)),
        startups: index.startups.map((plant) =>
          plant.map((columns) => columns.map((c) => (c === undefined ? 0 : v(c)))),
        ),
        overflow: index.overflow.map((columns) => columns.map(v)),
        limitViolation: index.limitViolation.map((c) => (c === undefined ? 0 : v(c))),
        loadShortfall: index.loadShortfall.map((c) => (c === undefined ? 0 : v(c))),
        objective: result.objective,
      };
      if (!incremental) {
        lastFull = previous;
        fullIterations++;
      }
    }
  }
  if (!previous) return { status, outputs: [], iterations: 0 };
  return { status, iterations: count, ...results(model, system, start, waterValues, units, limits, previous) };
}

/** The LP's head terms: per plant and step, the units' coefficients summed per reservoir. */
function headTerms(
  system: HydroSystem,
  reservoirIndex: Map<string, number>,
  headK: ReturnType<typeof unitHeadCoefficients>,
  previous: Trajectory,
): HeadTerm[] {
  const terms: HeadTerm[] = [];
  system.plants.forEach((plant, p) => {
    const up = plant.upstream === undefined ? undefined : reservoirIndex.get(plant.upstream);
    const down = plant.downstream === undefined ? undefined : reservoirIndex.get(plant.downstream);
    for (let t = 1; t < system.steps.length; t++) {
      let kUp = 0;
      let kDown = 0;
      headK[p].forEach((unit) => {
        kUp += unit[t].upstream;
        kDown += unit[t].downstream;
      });
      if (up !== undefined && kUp !== 0)
        terms.push({ step: t, reservoir: up, coefficient: kUp, reference: previous.storage[up][t - 1] });
      if (down !== undefined && kDown !== 0)
        terms.push({ step: t, reservoir: down, coefficient: -kDown, reference: previous.storage[down][t - 1] });
    }
  });
  return terms;
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
