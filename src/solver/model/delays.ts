/**
 * Plant and gate delays for a run (modelling-2.md §3.3), and the value of the water still in
 * transit at the end of the horizon (`vow_in_transit`) for plants, gates and rivers.
 */
import type { SolverSettings } from '../../shop/solver-settings.js';
import { constantDelay, type DelayKernel, delayMatrix, shapedDelay } from '../physics/delay.js';
import type { HydroSystem, WaterRef } from '../problem/hydro-system.js';
import type { IterationInput, TransitValues } from '../problem/iteration-input.js';
import type { Log } from './optimizer.types.js';
import type { Trajectory } from './trajectory.js';

/**
 * Each plant's and gate's arrivals downstream: `shape_discharge` (hours) when given, else
 * `time_delay` in the unit `set time_delay_unit` gives (SHOP's default: time steps, of the first
 * step's length), spread over the steps by the overlap rule (fractional delays stay exact).
 */
export function withDelays(system: HydroSystem, unit: SolverSettings['timeDelayUnit'], log: Log): HydroSystem {
  const hours = system.steps.map((s) => s.hours);
  const stepHours = hours[0] ?? 1;
  const toHours = (delay: number) => (unit === 'hour' ? delay : unit === 'minute' ? delay / 60 : delay * stepHours);
  const kernel = (
    kind: string,
    object: { name: string; timeDelay: number; shapeDischarge?: { x: number[]; y: number[] } },
  ) => {
    let k: DelayKernel | undefined;
    if (object.shapeDischarge) {
      if (object.timeDelay) {
        log('INFO', `${kind} ${object.name}: shape_discharge replaces time_delay ${object.timeDelay}`);
      }
      k = shapedDelay(object.shapeDischarge.x, object.shapeDischarge.y);
    } else if (object.timeDelay > 0) k = constantDelay(toHours(object.timeDelay));
    return k && delayMatrix(k, hours);
  };
  return {
    ...system,
    plants: system.plants.map((plant) => ({ ...plant, delay: kernel('plant', plant) })),
    gates: system.gates.map((gate) => ({ ...gate, delay: kernel('gate', gate) })),
  };
}

/** The reservoir a water object's water ends up in, following rivers downstream (undefined: the sea). */
export function receivingReservoir(system: HydroSystem, to: WaterRef | undefined): number | undefined {
  const seen = new Set<string>();
  let ref = to;
  while (ref && ref.type === 'river' && !seen.has(ref.name)) {
    seen.add(ref.name);
    ref = system.rivers?.find((r) => r.name === ref!.name)?.to;
  }
  if (ref?.type !== 'reservoir') return undefined;
  const r = system.reservoirs.findIndex((reservoir) => reservoir.name === ref!.name);
  return r < 0 ? undefined : r;
}

/**
 * Currency per Mm3 of water released at each step that is still travelling at the end: the
 * receiving reservoir's water value (doc); a plant's or gate's `discharge_fee` replaces it
 * (Tarn reads the fee as the value of that water, currency/Mm3); a river's
 * `delayed_water_energy_value` × the receiving reservoir's energy conversion factor overrides it.
 */
export function transitValues(
  system: HydroSystem,
  waterValues: number[],
  ecfs: Array<number | undefined>,
): TransitValues {
  const valueAt = (to: WaterRef | undefined) => {
    const r = receivingReservoir(system, to);
    return r === undefined ? 0 : waterValues[r];
  };
  const released = (object: { to?: WaterRef; dischargeFee?: Array<number | undefined> }) =>
    system.steps.map((_, s) => object.dischargeFee?.[s] ?? valueAt(object.to));
  return {
    plants: system.plants.map(released),
    gates: system.gates.map(released),
    rivers: (system.rivers ?? []).map((river) => {
      const r = receivingReservoir(system, river.to);
      const ecf = r === undefined ? undefined : ecfs[r];
      const value =
        river.delayedWaterEnergyValue !== undefined && ecf !== undefined
          ? river.delayedWaterEnergyValue * ecf
          : valueAt(river.to);
      return system.steps.map(() => value);
    }),
  };
}

/** Log lines for how water leaves: overflow without a spill gate, river penalties' objective group. */
export function logWaterways(system: HydroSystem, log: Log): void {
  const spilled = new Set(system.gates.filter((g) => g.kind === 'spill' && g.upstream).map((g) => g.upstream));
  for (const reservoir of system.reservoirs) {
    if (reservoir.flowDescr && !spilled.has(reservoir.name)) {
      log('INFO', `reservoir ${reservoir.name}: no spill gate; its overflow (flow_descr) leaves the system`);
    }
  }
  if (system.gates.some((gate) => gate.functions || gate.dischargeFee)) {
    log(
      'INFO',
      'Gate costs (gate_discharge_cost, gate_slack_cost, gate_ramping_penalty) are summed in minor_penalties (Tarn)',
    );
  }
  if (system.gates.some((gate) => gate.functions?.minFlowPenaltyCost || gate.functions?.maxFlowPenaltyCost)) {
    log('INFO', 'Soft gate flow limits (gate_q_constr_penalty) are summed in minor_penalties (Tarn)');
  }
  if (system.rivers?.length) {
    log(
      'INFO',
      'River penalties (river_min_flow_penalty, river_max_flow_penalty, river_flow_penalty, ' +
        'river_flow_schedule_penalty, river_ramping_penalty, river_gate_adjustment_penalty) are summed in ' +
        'minor_penalties (Tarn; gate ramping penalties in river_ramping_penalty)',
    );
  }
}

/** What an iteration's waterways read: transit values, the previous storage and river flows, overflow binaries. */
export function waterwayInput(
  transit: TransitValues | undefined,
  previous: Trajectory | undefined,
  settings: SolverSettings,
): Pick<
  IterationInput,
  'transitValues' | 'previousStorage' | 'previousRiverFlow' | 'previousRiverGate' | 'universalOverflowMip'
> {
  return {
    transitValues: transit,
    previousStorage: previous?.storage,
    previousRiverFlow: previous?.rivers.map((river) => river.upstream),
    previousRiverGate: previous?.rivers.map((river) => river.gateHeight),
    universalOverflowMip: settings.universalOverflowMip,
  };
}
