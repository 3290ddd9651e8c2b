/**
 * SHOP commands → solver settings and runs. Pure: `interpretCommands` reads a session's
 * commands in order and says what to solve, with which settings, and what to warn about.
 * The SHOP command list (catalog) decides what is a command at all; this module decides
 * what Tarn does with each one.
 */
import { findCommand } from './catalog.js';
import type { Command } from './shop-json.js';
import { type CodeMode, DEFAULT_SETTINGS, type SolverSettings, type TimeDelayUnit } from './solver-settings.js';

export interface SolverRun {
  mode: CodeMode;
  iterations: number;
  /** The settings in force when `start sim` was given. */
  settings: SolverSettings;
}

export interface Interpretation {
  runs: SolverRun[];
  /** The settings after the last command (they carry over to later uploads). */
  settings: SolverSettings;
  /** Accepted commands that Tarn does not apply: logged as WARNING. */
  warnings: string[];
}

/** What a run takes of an interpretation: what to solve, with which settings, and what to warn about. */
export type InterpretedCommands = Pick<Interpretation, 'runs' | 'warnings'>;

/** A command Tarn cannot accept: the request answers 400. */
export class CommandError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

type Handler = (command: Command, settings: SolverSettings, context: HandlerContext) => void;

interface HandlerContext {
  fail: (message: string) => never;
  warn: (message: string) => void;
  run: (iterations: number) => void;
}

/** A command as SHOP writes it: `set code /incremental`, `start sim 3`. */
export const commandText = (command: Command) =>
  [command.command, ...command.options.map((o) => `/${o}`), ...command.values].join(' ');
const text = commandText;

/** Resolves abbreviated options (`/inc`) by unique prefix among the command's documented options. */
function resolveOptions(command: Command, fail: HandlerContext['fail']): string[] {
  const known = findCommand(command.command)?.options ?? [];
  return command.options.map((option) => {
    const lower = option.toLowerCase();
    if (known.includes(lower)) return lower;
    const matches = known.filter((candidate) => candidate.startsWith(lower));
    if (matches.length === 1) return matches[0];
    return fail(
      matches.length
        ? `option /${option} of "${command.command}" is ambiguous: ${matches.map((m) => `/${m}`).join(', ')}`
        : `"${command.command}" has no option /${option}; it takes ${known.map((m) => `/${m}`).join(', ') || 'none'}`,
    );
  });
}

function integer(command: Command, fail: HandlerContext['fail'], min: number): number {
  const value = command.values[0];
  const n = value === undefined ? NaN : Number(value);
  if (!Number.isInteger(n) || n < min) {
    fail(`"${command.command}" needs a whole number of at least ${min}, got ${value ?? 'none'}`);
  }
  return n;
}

function positive(command: Command, fail: HandlerContext['fail'], allowZero = false): number {
  const value = command.values[0];
  const n = value === undefined ? NaN : Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    fail(`"${command.command}" needs a ${allowZero ? 'non-negative' : 'positive'} number, got ${value ?? 'none'}`);
  }
  return n;
}

/** upper/lower segment counts for `set nseg` / `set mip_nseg` (/up, /down, /all; default all). */
function segments(options: string[]): { up: boolean; down: boolean } {
  const all = options.length === 0 || options.includes('all');
  return { up: all || options.includes('up'), down: all || options.includes('down') };
}

const HANDLERS: Record<string, Handler> = {
  'start sim': (command, _settings, { run, fail }) => {
    const options = resolveOptions(command, fail);
    if (options.length) fail(`"start sim" options (${options.map((o) => `/${o}`).join(' ')}) are not supported`);
    run(integer(command, fail, 1));
  },
  'set code': (command, settings, { fail }) => {
    const options = resolveOptions(command, fail);
    if (options.includes('full')) settings.code = 'full';
    if (options.includes('incremental')) settings.code = 'incremental';
    if (options.includes('head')) {
      if (options.includes('off')) settings.headOptimization = false;
      else settings.headOptimization = true;
    }
    if (!options.some((o) => ['full', 'incremental', 'head'].includes(o))) {
      fail('"set code" needs /full, /incremental or /head /on|/off');
    }
  },
  'set mipgap': (command, settings, { fail }) => {
    const options = resolveOptions(command, fail);
    const gap = positive(command, fail, true);
    if (options.includes('absolute')) settings.mipGapAbsolute = gap;
    else {
      if (gap > 1) fail(`a relative MIP gap is between 0 and 1, got ${gap}`);
      settings.mipGapRelative = gap;
    }
  },
  'set timelimit': (command, settings, { fail }) => {
    settings.timeLimitSeconds = positive(command, fail);
  },
  'set max_num_threads': (command, settings, { fail }) => {
    const value = Number(command.values[0]);
    settings.threads = value === -1 ? -1 : integer(command, fail, 1);
  },
  'set method': (command, settings, { fail, warn }) => {
    const [method] = resolveOptions(command, fail);
    if (method === 'primal' || method === 'dual' || method === 'baropt') settings.method = method;
    else if (method) warn(`"${text(command)}" is a CPLEX method; HiGHS keeps /${settings.method}`);
    else fail('"set method" needs /primal, /dual or /baropt');
  },
  'set universal_mip': (command, settings, { fail }) => {
    const options = resolveOptions(command, fail);
    if (options.includes('on')) settings.universalMip = true;
    else if (options.includes('off')) settings.universalMip = false;
    else if (options.includes('not_set')) settings.universalMip = undefined;
    else fail('"set universal_mip" needs /on, /off or /not_set');
  },
  'set pump_head_optimization': (command, settings, { fail }) => {
    const options = resolveOptions(command, fail);
    if (options.includes('on')) settings.pumpHeadOptimization = true;
    else if (options.includes('off')) settings.pumpHeadOptimization = false;
    else fail('"set pump_head_optimization" needs /on or /off');
  },
  'set universal_overflow_mip': (command, settings, { fail }) => {
    const options = resolveOptions(command, fail);
    if (options.includes('on')) settings.universalOverflowMip = true;
    else if (options.includes('off')) settings.universalOverflowMip = false;
    else if (options.includes('not_set')) settings.universalOverflowMip = undefined;
    else fail('"set universal_overflow_mip" needs /on, /off or /not_set');
  },
  'set nseg': (command, settings, { fail }) => {
    const n = integer(command, fail, 1);
    const { up, down } = segments(resolveOptions(command, fail));
    if (up) settings.nsegUp = n;
    if (down) settings.nsegDown = n;
  },
  'set mip_nseg': (command, settings, { fail }) => {
    const n = integer(command, fail, 1);
    const { up, down } = segments(resolveOptions(command, fail));
    if (up) settings.mipNsegUp = n;
    if (down) settings.mipNsegDown = n;
  },
  'penalty flag': (command, settings, { fail }) => {
    const options = resolveOptions(command, fail);
    const on = options.includes('on');
    if (!on && !options.includes('off')) fail('"penalty flag" needs /on or /off and a target');
    const targets = options.filter((o) => o !== 'on' && o !== 'off');
    if (!targets.length) fail('"penalty flag" needs a target such as /reservoir, /load or /all');
    const flags = { ...settings.penaltyFlags };
    for (const target of targets.includes('all') ? Object.keys(flags) : targets) flags[target] = on;
    settings.penaltyFlags = flags;
  },
  'set time_delay_unit': (command, settings, { fail }) => {
    const unit = (command.values[0] ?? '').toLowerCase();
    if (unit !== 'hour' && unit !== 'minute' && unit !== 'time_step_length') {
      fail(`"set time_delay_unit" takes HOUR, MINUTE or TIME_STEP_LENGTH, got ${command.values[0] ?? 'none'}`);
    }
    settings.timeDelayUnit = unit as TimeDelayUnit;
  },
  'set mix_cut_vv': (command, _settings, { warn }) => {
    warn(
      `"${text(command)}" is deprecated: reservoirs outside a cut group keep their own end value, ` +
        'those in one are valued by its cuts (modelling-2.md §5)',
    );
  },
  // Reserve capacity (modelling-2.md §4): costs per MW and hour.
  'set reserve_penalty_cost': (command, settings, { fail }) => {
    settings.reservePenaltyCost = positive(command, fail, true);
  },
  'set reserve_slack_cost': (command, settings, { fail }) => {
    settings.reserveSlackCost = positive(command, fail, true);
  },
  'set reserve_schedule_penalty_cost': (command, settings, { fail }) => {
    settings.reserveSchedulePenaltyCost = positive(command, fail, true);
  },
  'set reserve_ramping_cost': (command, settings, { fail }) => {
    settings.reserveRampingCost = positive(command, fail, true);
  },
  'set reserve_min_capacity': (command, settings, { fail }) => {
    const factor = positive(command, fail, true);
    if (factor > 1) fail(`"set reserve_min_capacity" is a fraction of p_max (0 to 1), got ${factor}`);
    settings.reserveMinCapacity = factor;
  },
  'set fcr_n_band': (command, settings, { fail }) => {
    settings.fcrNBand = positive(command, fail);
  },
  'set fcr_d_band': (command, settings, { fail }) => {
    settings.fcrDBand = positive(command, fail);
  },
  'set droop_discretization_limit': (command, settings, { fail }) => {
    settings.droopDiscretizationLimit = positive(command, fail, true);
  },
  'set droop_cost_exponent': (command, settings, { fail }) => {
    const exponent = positive(command, fail);
    if (!(exponent > 1)) fail(`"set droop_cost_exponent" needs a number above 1, got ${exponent}`);
    settings.droopCostExponent = exponent;
  },
  'set droop_ref_value': (command, settings, { fail }) => {
    settings.droopRefValue = positive(command, fail);
  },
  'set fcr_n_equality_flag': (command, settings, { fail }) => {
    const options = resolveOptions(command, fail);
    if (options.includes('on')) settings.fcrNEquality = true;
    else if (options.includes('off')) settings.fcrNEquality = false;
    else fail('"set fcr_n_equality_flag" needs /on or /off');
  },
  // Multi-scenario runs (modelling-2.md §6).
  'set com_dec_period': (command, settings, { fail }) => {
    settings.commonDecisionSteps = integer(command, fail, 0);
  },
  'return scenario_result_table': (command, _settings, { warn }) => {
    warn(`"${text(command)}": no file is written; GET /model answers every scenario's results (Tarn)`);
  },
  'log file': (command, _settings, { warn }) => {
    warn(`"${text(command)}": Tarn keeps the session log (GET /api/v1/session/log, --shop-log-file) instead`);
  },
};

/** The commands Tarn applies (others of SHOP's list are accepted with a warning). */
export const APPLIED_COMMANDS: readonly string[] = Object.freeze(Object.keys(HANDLERS));

/**
 * Reads commands in order. `start sim N` becomes a run of N iterations in the current
 * `set code` mode with the settings in force; settings carry over from `initial`.
 * Throws CommandError for a command that cannot be applied as given.
 */
export function interpretCommands(commands: Command[], initial: SolverSettings = DEFAULT_SETTINGS): Interpretation {
  const settings: SolverSettings = { ...initial, penaltyFlags: { ...initial.penaltyFlags } };
  const runs: SolverRun[] = [];
  const warnings: string[] = [];
  commands.forEach((command, index) => {
    const context: HandlerContext = {
      fail: (message) => {
        throw new CommandError(index, message);
      },
      warn: (message) => warnings.push(message),
      run: (iterations) =>
        runs.push({
          mode: settings.code,
          iterations,
          settings: { ...settings, penaltyFlags: { ...settings.penaltyFlags } },
        }),
    };
    const handler = HANDLERS[command.command];
    if (handler) handler(command, settings, context);
    else warnings.push(`"${text(command)}" is a SHOP command Tarn does not apply; it was ignored`);
  });
  return { runs, settings, warnings };
}
