import { describe, expect, it } from '@jest/globals';
import {
  conflictLogLines,
  conflictReport,
  conflictSummary,
  describeConflict,
  parseProblemName,
} from './infeasibility.js';
import type { ConflictEntry, SolverConflict } from '../providers/optimization-provider.js';

const INF = Infinity;
const STEPS = ['2018-01-23T00:00:00Z', '2018-01-23T01:00:00Z', '2018-01-23T02:00:00Z', '2018-01-23T03:00:00Z'].map(
  (start) => ({ start }),
);

const entry = (name: string | undefined, bound: ConflictEntry['bound'], lower: number, upper: number, index = 0) => ({
  index,
  ...(name === undefined ? {} : { name }),
  bound,
  lower,
  upper,
});

describe('parseProblemName', () => {
  it('reads type, name, attribute and step, with dots inside the object name', () => {
    expect(parseProblemName('reservoir.Reservoir1.storage[3]')).toEqual({
      objectType: 'reservoir',
      objectName: 'Reservoir1',
      attribute: 'storage',
      step: 3,
    });
    expect(parseProblemName('plant.Upper.Falls.head_term[12]')).toEqual({
      objectType: 'plant',
      objectName: 'Upper.Falls',
      attribute: 'head_term',
      step: 12,
    });
    expect(parseProblemName('market.balance[4]')).toEqual({ objectType: 'market', attribute: 'balance', step: 4 });
    expect(parseProblemName('gate.g[1].discharge[0]')).toEqual({
      objectType: 'gate',
      objectName: 'g[1]',
      attribute: 'discharge',
      step: 0,
    });
    expect(parseProblemName('reservoir.R.end_value')).toEqual({
      objectType: 'reservoir',
      objectName: 'R',
      attribute: 'end_value',
    });
    expect(parseProblemName('x7')).toEqual({ objectType: 'problem', attribute: 'x7' });
  });

  it("reads a multi-scenario run's scenario prefix", () => {
    expect(parseProblemName('scen_3/reservoir.R.storage[2]')).toEqual({
      objectType: 'reservoir',
      objectName: 'R',
      attribute: 'storage',
      step: 2,
      scenario: 3,
    });
  });
});

describe('describeConflict', () => {
  it("words rows and column bounds in object, attribute and time terms, the formulation's own last", () => {
    const conflict: SolverConflict = {
      irreducible: true,
      rows: [
        entry('reservoir.Reservoir1.balance[3]', 'lower', 2.5, 2.5, 10),
        entry('market.balance[2]', 'lower', 1000, 1000, 11),
        entry('generator.G1.segment2_on[1]', 'upper', -INF, 0, 12),
      ],
      columns: [
        entry('reservoir.Reservoir1.storage[3]', 'upper', 0, 39, 3),
        entry('market.Day_ahead.buy[2]', 'upper', 0, 0, 4),
        entry('market.Day_ahead.sale[2]', 'lower', 0, 9999, 5),
        entry('generator.G1.solver_production[2]', 'free', 0, INF, 6),
        entry('generator.G1.on[1]', 'both', 1, 1, 7),
      ],
    };
    const items = describeConflict(conflict, STEPS);
    expect(items.map((item) => item.text)).toEqual([
      'reservoir Reservoir1: water balance at 2018-01-23T03:00:00Z (= 2.5)',
      'market: load balance (production + buy - sale = load) at 2018-01-23T02:00:00Z (= 1000)',
      'reservoir Reservoir1: storage at the end of the step from 2018-01-23T03:00:00Z, upper bound 39 (max_vol, or the top of vol_head with flow_descr)',
      'market Day_ahead: buy at 2018-01-23T02:00:00Z, upper bound 0 (max_buy)',
      'market Day_ahead: sale at 2018-01-23T02:00:00Z, lower bound 0',
      'generator G1: production curve segment 2 only when running at 2018-01-23T01:00:00Z (<= 0)',
      'generator G1: on/off state at 2018-01-23T01:00:00Z, fixed at 1',
    ]);
    expect(items[0]).toEqual({
      kind: 'constraint',
      objectType: 'reservoir',
      objectName: 'Reservoir1',
      attribute: 'balance',
      time: '2018-01-23T03:00:00Z',
      step: 3,
      bound: 'lower',
      value: 2.5,
      name: 'reservoir.Reservoir1.balance[3]',
      text: 'reservoir Reservoir1: water balance at 2018-01-23T03:00:00Z (= 2.5)',
    });
    expect(items[1]).not.toHaveProperty('objectName');
    expect(items[2]).toMatchObject({ kind: 'bound', attribute: 'storage', bound: 'upper', value: 39 });
    expect(items[2]).not.toHaveProperty('internal');
  });

  it('falls back to the attribute for unknown names, to the step number past the horizon, and to indices without names', () => {
    const conflict: SolverConflict = {
      irreducible: true,
      rows: [entry('reservoir.R.min_vol_constr[1]', 'lower', 3, INF), entry('plant.P.new_thing[9]', 'both', 1, 2)],
      columns: [entry(undefined, 'upper', 0, 4, 17)],
    };
    expect(describeConflict(conflict, STEPS).map((item) => item.text)).toEqual([
      'reservoir R: minimum volume (min_vol_constr) at the end of the step from 2018-01-23T01:00:00Z (>= 3)',
      'plant P: new thing at step 9 (between 1 and 2)',
      'problem: column 17, upper bound 4',
    ]);
    const [, unknown, unnamed] = describeConflict(conflict, STEPS);
    expect(unknown).not.toHaveProperty('value');
    expect(unknown).not.toHaveProperty('time');
    expect(unknown.step).toBe(9);
    expect(unnamed.name).toBe('x17');
  });
});

describe('conflict log lines and summary', () => {
  const conflict: SolverConflict = {
    irreducible: true,
    rows: Array.from({ length: 7 }, (_, t) => entry(`market.balance[${t % 4}]`, 'lower', 10, 10, t)),
    columns: [],
  };

  it('heads the lines and lists every item, up to a limit', () => {
    const report = conflictReport(conflict, STEPS);
    const lines = conflictLogLines(report, 5);
    expect(lines[0]).toBe('Conflicting constraints (a minimal infeasible set, HiGHS IIS): 7');
    expect(lines.slice(1, 6)).toEqual(report.items.slice(0, 5).map((item) => `  ${item.text}`));
    expect(lines[6]).toBe('  ... and 2 more');
    expect(lines).toHaveLength(7);
    expect(conflictLogLines({ ...report, irreducible: false })[0]).toMatch(/did not prove this set minimal/);
  });

  it('summarizes the first items in one line', () => {
    const report = conflictReport({ ...conflict, rows: conflict.rows.slice(0, 2) }, STEPS);
    expect(conflictSummary(report)).toBe(
      'market: load balance (production + buy - sale = load) at 2018-01-23T00:00:00Z (= 10); ' +
        'market: load balance (production + buy - sale = load) at 2018-01-23T01:00:00Z (= 10)',
    );
    expect(conflictSummary(conflictReport(conflict, STEPS), 1)).toMatch(/; and 6 more$/);
  });
});
