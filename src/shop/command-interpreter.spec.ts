import { describe, expect, it } from '@jest/globals';
import { parseCommand } from './shop-document.js';
import { Problems } from './shop-values.js';
import { DEFAULT_SETTINGS } from './solver-settings.js';
import { APPLIED_COMMANDS, CommandError, interpretCommands } from './command-interpreter.js';

/** Commands as PUT /model stores them (the string form, parsed). */
function commands(...lines: string[]) {
  const problems = new Problems();
  const parsed = lines.map((line, i) => parseCommand(line, `commands[${i}]`, problems)!);
  expect(problems.list).toEqual([]);
  return parsed;
}

function failure(...lines: string[]): CommandError {
  try {
    interpretCommands(commands(...lines));
  } catch (error) {
    expect(error).toBeInstanceOf(CommandError);
    return error as CommandError;
  }
  throw new Error('expected a CommandError');
}

describe('interpretCommands', () => {
  it("runs the basic model's list: 5 full iterations, then 3 incremental", () => {
    const { runs, warnings } = interpretCommands(
      commands('set code /full', 'start sim 5', 'set code /incremental', 'start sim 3'),
    );
    expect(runs.map((r) => [r.mode, r.iterations])).toEqual([
      ['full', 5],
      ['incremental', 3],
    ]);
    expect(warnings).toEqual([]);
  });

  it('resolves abbreviated options by unique prefix (set code /inc)', () => {
    expect(interpretCommands(commands('set code /inc', 'start sim 2')).runs[0].mode).toBe('incremental');
  });

  it('captures the settings in force at each start sim', () => {
    const { runs, settings } = interpretCommands(
      commands(
        'set mipgap /relative 0.01',
        'start sim 1',
        'set mipgap /absolute 500',
        'set timelimit 30',
        'start sim 1',
      ),
    );
    expect(runs[0].settings.mipGapRelative).toBe(0.01);
    expect(runs[0].settings.timeLimitSeconds).toBe(900);
    expect(runs[1].settings).toMatchObject({ mipGapRelative: 0.01, mipGapAbsolute: 500, timeLimitSeconds: 30 });
    expect(settings.timeLimitSeconds).toBe(30);
  });

  it('reads threads, method, universal_mip, nseg, mip_nseg, time_delay_unit and head optimization', () => {
    const { settings } = interpretCommands(
      commands(
        'set max_num_threads 2',
        'set method /primal',
        'set universal_mip /on',
        'set nseg /up 5',
        'set mip_nseg 4',
        'set time_delay_unit MINUTE',
        'set code /head /off',
      ),
    );
    expect(settings).toMatchObject({
      threads: 2,
      method: 'primal',
      universalMip: true,
      nsegUp: 5,
      nsegDown: 3,
      mipNsegUp: 4,
      mipNsegDown: 4,
      timeDelayUnit: 'minute',
      headOptimization: false,
      code: 'full',
    });
  });

  it('set pump_head_optimization /on|/off: pumps join head optimization (SHOP default off)', () => {
    expect(DEFAULT_SETTINGS.pumpHeadOptimization).toBeUndefined();
    const { runs } = interpretCommands(
      commands('set pump_head_optimization /on', 'start sim 1', 'set pump_head_optimization /off', 'start sim 1'),
    );
    expect(runs.map((run) => run.settings.pumpHeadOptimization)).toEqual([true, false]);
    expect(APPLIED_COMMANDS).toContain('set pump_head_optimization');
  });

  it('switches penalty flags by target, or all of them', () => {
    expect(interpretCommands(commands('penalty flag /on /plant')).settings.penaltyFlags.plant).toBe(true);
    const all = interpretCommands(commands('penalty flag /off /all')).settings.penaltyFlags;
    expect(Object.values(all).every((flag) => flag === false)).toBe(true);
  });

  it('carries settings over from an earlier upload and leaves the defaults untouched', () => {
    const first = interpretCommands(commands('set code /incremental'));
    expect(interpretCommands(commands('start sim 1'), first.settings).runs[0].mode).toBe('incremental');
    expect(DEFAULT_SETTINGS.code).toBe('full');
    expect(DEFAULT_SETTINGS.penaltyFlags.plant).toBe(false);
  });

  it('warns about SHOP commands Tarn does not apply, and about CPLEX-only methods', () => {
    const { warnings, runs } = interpretCommands(commands('log file shop.log', 'set method /hybbaropt', 'start sim 1'));
    expect(runs).toHaveLength(1);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('log file shop.log');
    expect(warnings[1]).toContain('CPLEX');
  });

  it.each([
    [['start sim'], 0, /whole number of at least 1/],
    [['set code /full', 'start sim 0'], 1, /at least 1/],
    [['start sim two'], 0, /got two/],
    [['set code /sideways'], 0, /has no option \/sideways/],
    [['set mipgap /relative 2'], 0, /between 0 and 1/],
    [['set timelimit -5'], 0, /positive number/],
    [['penalty flag /on'], 0, /needs a target/],
    [['set time_delay_unit fortnight'], 0, /HOUR, MINUTE or TIME_STEP_LENGTH/],
  ])('refuses %j (command %i) with a message', (lines, index, message) => {
    const error = failure(...lines);
    expect(error.index).toBe(index);
    expect(error.message).toMatch(message);
  });

  it('accepts the deprecated set mix_cut_vv with a warning (modelling-2 §5)', () => {
    const { warnings, runs } = interpretCommands(commands('set mix_cut_vv /on', 'start sim 1'));
    expect(runs).toHaveLength(1);
    expect(warnings).toEqual([
      expect.stringMatching(/^"set mix_cut_vv \/on" is deprecated: reservoirs outside a cut group/),
    ]);
  });

  it('reads set universal_overflow_mip (modelling-2 §3.1)', () => {
    const problems = new Problems();
    const parse = (line: string) => parseCommand(line, 'commands[0]', problems)!;
    const on = interpretCommands([parse('set universal_overflow_mip /on'), parse('start sim 1')]);
    expect(on.runs[0].settings.universalOverflowMip).toBe(true);
    const notSet = interpretCommands([parse('set universal_overflow_mip /not_set'), parse('start sim 1')]);
    expect(notSet.runs[0].settings.universalOverflowMip).toBeUndefined();
  });

  it('sets the reserve costs (modelling-2.md §4) for the runs after them', () => {
    const { runs } = interpretCommands(
      commands(
        'start sim 1',
        'set reserve_penalty_cost 500',
        'set reserve_slack_cost 0.5',
        'set reserve_schedule_penalty_cost 0',
        'set reserve_ramping_cost 5',
        'set reserve_min_capacity 0.05',
        'set fcr_n_equality_flag /on',
        'set fcr_n_band 0.2',
        'set droop_discretization_limit 3',
        'set droop_cost_exponent 2',
        'set droop_ref_value 6',
        'start sim 1',
      ),
    );
    expect(runs[0].settings.reservePenaltyCost).toBeUndefined();
    expect(runs[1].settings).toMatchObject({
      reservePenaltyCost: 500,
      reserveSlackCost: 0.5,
      reserveSchedulePenaltyCost: 0,
      reserveRampingCost: 5,
      reserveMinCapacity: 0.05,
      fcrNEquality: true,
      fcrNBand: 0.2,
      droopDiscretizationLimit: 3,
      droopCostExponent: 2,
      droopRefValue: 6,
    });
    expect(failure('set reserve_penalty_cost -1').message).toMatch(/non-negative/);
    expect(failure('set droop_discretization_limit -3').message).toMatch(/non-negative/);
    expect(failure('set droop_cost_exponent 1').message).toMatch(/above 1/);
  });

  it('sets the common decision period of multi-scenario runs and accepts the scenario table without a file', () => {
    const { runs, warnings } = interpretCommands(
      commands('set com_dec_period 6', 'return scenario_result_table scenarios.txt', 'start sim 1'),
    );
    expect(runs[0].settings.commonDecisionSteps).toBe(6);
    expect(warnings).toEqual([expect.stringMatching(/scenario_result_table.*no file is written/)]);
    expect(failure('set com_dec_period -1').message).toMatch(/whole number of at least 0/);
  });

  it('applies the commands the spec names', () => {
    expect([...APPLIED_COMMANDS].sort()).toEqual(
      [
        'log file',
        'penalty flag',
        'return scenario_result_table',
        'set com_dec_period',
        'set code',
        'set max_num_threads',
        'set method',
        'set mip_nseg',
        'set mipgap',
        'set mix_cut_vv',
        'set nseg',
        'set pump_head_optimization',
        'set fcr_d_band',
        'set fcr_n_band',
        'set fcr_n_equality_flag',
        'set droop_discretization_limit',
        'set droop_cost_exponent',
        'set droop_ref_value',
        'set reserve_min_capacity',
        'set reserve_penalty_cost',
        'set reserve_ramping_cost',
        'set reserve_schedule_penalty_cost',
        'set reserve_slack_cost',
        'set time_delay_unit',
        'set timelimit',
        'set universal_mip',
        'set universal_overflow_mip',
        'start sim',
      ].sort(),
    );
  });
});
