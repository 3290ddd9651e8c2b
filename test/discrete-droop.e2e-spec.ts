import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';
import { fixture as yaml, uploadYaml } from './support/shop-models.js';

/**
 * Discrete droop (modelling-2.md §4), checked from what GET /model returns after uploading the
 * reference discrete-droop model, its FCR-N obligation (±20 MW on all six units) and its
 * discrete_droop_values (Plant2's units: 1 to 12 in steps of 0.5; Plant1's: the integers), with
 * the run the spec gives: `start sim 3`, `set code /incremental`, `start sim 1`, then for
 * d = 3, 6, 9, 12 `set droop_discretization_limit d`, `start sim 1`. Legality, the droop caps
 * and the obligations are recomputed here from the returned inputs and results.
 */
const BASE_RUN = ['start sim 3', 'set code /incremental', 'start sim 1'];
const DROOP_STEPS = [3, 6, 9, 12].flatMap((d) => [`set droop_discretization_limit ${d}`, 'start sim 1']);
const commands = (lines: string[]): string => ['commands:', ...lines.map((line) => `  - ${line}`), ''].join('\n');

let t: TestApp;
let token: string;
/** Jest's limit for a hook that solves the model twice (nine and five MIP/LP iterations, on a shared machine). */
const SOLVING = 240_000;
const TOLERANCE = 1e-6;
const FCR_N_BAND = 0.1;

beforeAll(async () => {
  t = await startTestApp();
  token = await t.token();
});
afterAll(() => t.close());

const values = (series: Json | undefined): number[] => (series ? (series.values[0] as number[]) : []);

async function solve(lines: string[], extra: string[] = []): Promise<Json> {
  const documents = [
    yaml('discrete_droop_model.yaml'),
    yaml('discrete_droop_reserve_obligation.yaml'),
    ...extra,
    yaml('discrete_droop_input.yaml') + '\n' + commands(lines),
  ];
  return (await uploadYaml(t, token, documents)).body;
}

/** A droop is legal: one of the unit's discrete_droop_values (else an integer), within [droop_min, droop_max]. */
function legal(unit: Json, droop: number): boolean {
  const min = typeof unit.droop_min === 'number' ? unit.droop_min : 1;
  const max = typeof unit.droop_max === 'number' ? unit.droop_max : 12;
  if (droop < min - TOLERANCE || droop > max + TOLERANCE) return false;
  const discrete = unit.discrete_droop_values as number[] | undefined;
  return discrete?.length
    ? discrete.some((v) => Math.abs(v - droop) <= TOLERANCE)
    : Math.abs(droop - Math.round(droop)) <= TOLERANCE;
}

const generators = (body: Json): Array<[string, Json]> => Object.entries(body.model.generator as Record<string, Json>);

/** Every unit's droop results, legal or not, after the run. */
function illegalDroops(body: Json): string[] {
  const found: string[] = [];
  for (const [name, unit] of generators(body)) {
    values(unit.droop_result).forEach((d, h) => {
      if (!legal(unit, d)) found.push(`${name} hour ${h}: ${d}`);
    });
  }
  return found;
}

function expectDroopsLegal(body: Json): void {
  expect(illegalDroops(body)).toEqual([]);
  let checked = 0;
  for (const [, unit] of generators(body)) checked += values(unit.droop_result).length;
  expect(checked).toBe(6 * 72);
}

function expectFcrWithinDroop(body: Json): void {
  let delivered = 0;
  for (const [, unit] of generators(body)) {
    const droop = values(unit.droop_result);
    const pNom = (unit.p_nom ?? unit.p_max) as number;
    for (const key of ['fcr_n_up', 'fcr_n_down']) {
      values(unit[`${key}_delivery`]).forEach((r, h) => {
        expect(r).toBeLessThanOrEqual((2 * FCR_N_BAND * pNom) / droop[h] + TOLERANCE);
        if (r > TOLERANCE) delivered++;
      });
    }
  }
  expect(delivered).toBeGreaterThan(0);
}

function expectObligationsMet(body: Json): void {
  const group = body.model.reserve_group.fcr_group as Json;
  for (const key of ['fcr_n_up', 'fcr_n_down']) {
    const slack = values(group[`${key}_slack`]);
    const violation = values(group[`${key}_violation`]);
    for (let h = 0; h < 72; h++) {
      const sum = generators(body).reduce((s, [, unit]) => s + (values(unit[`${key}_delivery`])[h] ?? 0), 0);
      expect(violation[h] ?? 0).toBeLessThan(TOLERANCE);
      expect(sum - (slack[h] ?? 0) + (violation[h] ?? 0)).toBeCloseTo(20, 5);
    }
  }
  expect(body.model.objective.average_objective.reserve_violation_penalty).toBeCloseTo(0, 6);
}

describe('discrete_droop_model.yaml + obligation + discrete droop values, with the droop steps', () => {
  let body: Json;
  beforeAll(async () => {
    body = await solve([...BASE_RUN, ...DROOP_STEPS]);
  }, SOLVING);

  it('ends optimal', () => {
    expect(body.model.objective.average_objective.solver_status).toBe('optimal');
  });

  it('leaves every droop_result legal after the last droop step', () => expectDroopsLegal(body));

  it('keeps FCR-N within the droop: delivery ≤ 2·fcr_n_band·p_nom/droop_result', () => expectFcrWithinDroop(body));

  it('meets the FCR-N obligation in every hour without violation: Σ delivery − slack + violation = 20 MW', () =>
    expectObligationsMet(body));
});

/**
 * The reference model has no droop cost, so the LP leaves each inverse droop at a bound (droop
 * 1 or 12, both legal) and the steps have nothing to fix. With a droop cost (this test's own
 * document, 100 NOK per unit of inverse droop and hour on every unit) a unit's droop is as
 * large as its delivery allows, 2·band·p_nom/r, mostly not a legal value: the steps must fix them.
 */
describe('the same with a droop cost on every unit', () => {
  const UNITS = ['Plant1_G1', 'Plant1_G2', 'Plant2_G1', 'Plant2_G2', 'Plant2_G3', 'Plant2_G4'];
  const DROOP_COST = [
    'model:',
    '  generator:',
    ...UNITS.flatMap((u) => [`    ${u}:`, '      droop_cost: 100']),
    '',
  ].join('\n');
  let body: Json;
  let free: Json;
  beforeAll(async () => {
    body = await solve([...BASE_RUN, ...DROOP_STEPS], [DROOP_COST]);
    free = await solve(BASE_RUN, [DROOP_COST]);
  }, SOLVING);

  it('has droops that are not legal without the droop steps', () => {
    expect(free.model.objective.average_objective.solver_status).toBe('optimal');
    expect(illegalDroops(free).length).toBeGreaterThan(0);
  });

  it('leaves every droop_result legal after the last droop step', () => {
    expect(body.model.objective.average_objective.solver_status).toBe('optimal');
    expectDroopsLegal(body);
  });

  it('keeps FCR-N within the droop: delivery ≤ 2·fcr_n_band·p_nom/droop_result', () => expectFcrWithinDroop(body));

  it('meets the FCR-N obligation in every hour without violation', () => expectObligationsMet(body));
});
