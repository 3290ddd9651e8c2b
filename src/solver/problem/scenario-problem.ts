/**
 * A multi-scenario iteration's LP (modelling-2.md §6): the scenarios' problems side by side,
 * each one's objective weighted by its probability, and non-anticipativity rows that make
 * scenarios sharing a step take the same decisions there. Pure.
 */
import type { LinearProgram, SolveResult } from '../providers/optimization-provider.js';
import { type ScenarioSet, sharingGroups } from './scenarios.js';

export interface ScenarioProblem {
  lp: LinearProgram;
  /** Each scenario's first column and first row in `lp`. */
  columnOffsets: number[];
  rowOffsets: number[];
  /** How many non-anticipativity rows `lp` ends with. */
  links: number;
}

/** A column linked to its twin in another scenario: global column indexes. */
type Link = readonly [from: number, to: number, name: string];

/** Columns of these object types are states (storage, end values): they follow from the decisions. */
const STATE_TYPES = new Set(['reservoir', 'cut_group']);
const STEP_SUFFIX = /\[(\d+)\]$/;

/**
 * The step of a decision column (SHOP's names end in `[t]`), undefined for a state, a slack or
 * penalty column, or a column that belongs to no step. Decisions are what §6 names: discharge,
 * production, commitment, upflow, gate, river and tunnel flows, trades and reserves.
 */
export function decisionStep(name: string): number | undefined {
  const match = STEP_SUFFIX.exec(name);
  if (!match) return undefined;
  const type = name.slice(0, name.indexOf('.'));
  if (STATE_TYPES.has(type)) return undefined;
  const attribute = name.slice(name.lastIndexOf('.') + 1, match.index);
  if (/violation|slack|penalty|^head$|pressure/.test(attribute)) return undefined;
  return Number(match[1]);
}

const PRODUCTION = /\.solver_production\[\d+\]$/;

/**
 * The non-anticipativity links: for each step, each group of scenarios with equal
 * `common_scenario` (a market's own `common_scenario` for its trades) shares every decision
 * column of the step with the group's first scenario; `set com_dec_period` (the first
 * `commonProductionSteps` steps) makes all scenarios' production equal.
 */
export function nonAnticipativityLinks(
  lps: readonly LinearProgram[],
  set: ScenarioSet,
  commonProductionSteps = 0,
): Link[] {
  const offsets = columnOffsets(lps);
  const byName = lps.map((lp) => {
    const map = new Map<string, number>();
    lp.colNames?.forEach((name, j) => map.set(name, j));
    return map;
  });
  const decisions = lps.map((lp) => {
    const atStep: Array<Array<[string, number]>> = set.commonScenario.map(() => []);
    lp.colNames?.forEach((name, j) => {
      const t = decisionStep(name);
      if (t !== undefined && t < atStep.length) atStep[t].push([name, j]);
    });
    return atStep;
  });
  const all = set.names.map((_, s) => s);
  const links: Link[] = [];
  const link = (group: number[], name: string, j: number) => {
    for (const other of group.slice(1)) {
      const twin = byName[other].get(name);
      if (twin !== undefined) links.push([offsets[group[0]] + j, offsets[other] + twin, name]);
    }
  };
  set.commonScenario.forEach((common, t) => {
    const groups = sharingGroups(common);
    const marketGroups = new Map([...set.marketCommon].map(([market, values]) => [market, sharingGroups(values[t])]));
    const productionShared = t < commonProductionSteps && !groups.some((group) => group.length === all.length);
    for (const group of groups) {
      for (const [name, j] of decisions[group[0]][t]) {
        if (!marketOf(name, marketGroups)) link(group, name, j);
      }
    }
    for (const [market, marketGroup] of marketGroups) {
      for (const group of marketGroup) {
        for (const [name, j] of decisions[group[0]][t]) {
          if (marketOf(name, marketGroups) === market) link(group, name, j);
        }
      }
    }
    if (productionShared) {
      for (const [name, j] of decisions[0][t]) if (PRODUCTION.test(name)) link(all, name, j);
    }
  });
  return links;
}

function marketOf(name: string, marketGroups: Map<string, number[][]>): string | undefined {
  if (!name.startsWith('market.')) return undefined;
  const market = name.slice('market.'.length, name.lastIndexOf('.'));
  return marketGroups.has(market) ? market : undefined;
}

function columnOffsets(lps: readonly LinearProgram[]): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const lp of lps) {
    offsets.push(at);
    at += lp.colCost.length;
  }
  return offsets;
}

/** The name scenario s's block gives a column or row (the first scenario's keep theirs). */
export const scenarioName = (s: number, name: string) => (s === 0 ? name : `scen_${s + 1}/${name}`);

/**
 * The scenarios' LPs as one: columns and rows block by block (scenario s's names prefixed
 * `scen_<s+1>/`), costs times the probabilities, then one row `x_a − x_b = 0` per link.
 */
export function combineScenarioProblems(
  lps: readonly LinearProgram[],
  probabilities: readonly number[],
  links: readonly Link[],
): ScenarioProblem {
  const colOffsets = columnOffsets(lps);
  const numCols = lps.reduce((sum, lp) => sum + lp.colCost.length, 0);
  const rowOffsets: number[] = [];
  let blockRows = 0;
  for (const lp of lps) {
    rowOffsets.push(blockRows);
    blockRows += lp.rowLower.length;
  }
  const numRows = blockRows + links.length;
  const lp: Required<LinearProgram> & { colNames: string[]; rowNames: string[] } = {
    sense: 'min',
    offset: 0,
    colCost: new Float64Array(numCols),
    colLower: new Float64Array(numCols),
    colUpper: new Float64Array(numCols),
    colNames: [],
    integrality: new Int32Array(numCols),
    rowLower: new Float64Array(numRows),
    rowUpper: new Float64Array(numRows),
    rowNames: [],
    aStart: new Int32Array(numCols + 1),
    aIndex: new Int32Array(lps.reduce((sum, one) => sum + one.aStart[one.colCost.length], 0) + 2 * links.length),
    aValue: new Float64Array(lps.reduce((sum, one) => sum + one.aStart[one.colCost.length], 0) + 2 * links.length),
  };
  // Each column's entries: its block's rows, then room for its links' rows (which come last).
  const room = new Int32Array(numCols);
  for (const [from, to] of links) {
    room[from]++;
    room[to]++;
  }
  const fill = copyBlocks(lps, probabilities, { colOffsets, rowOffsets }, room, lp);
  const { rowNames, colNames } = lp;
  const aIndex = lp.aIndex as Int32Array;
  const aValue = lp.aValue as Float64Array;
  links.forEach(([from, to, name], i) => {
    const row = blockRows + i;
    aIndex[fill[from]] = row;
    aValue[fill[from]++] = 1;
    aIndex[fill[to]] = row;
    aValue[fill[to]++] = -1;
    rowNames.push(`${colNames[to].replace(/\[\d+\]$/, '')}.nonanticipativity[${name.match(STEP_SUFFIX)?.[1] ?? 0}]`);
  });
  const anyInteger = lps.some((one) => one.integrality?.some((flag) => flag !== 0));
  const { integrality: _integrality, ...continuous } = lp;
  return {
    lp: anyInteger ? lp : continuous,
    columnOffsets: colOffsets,
    rowOffsets,
    links: links.length,
  };
}

/**
 * Copies the scenarios' blocks into `into` (weighted costs, offset rows, prefixed names) and
 * answers, per column, where its first link entry goes.
 */
function copyBlocks(
  lps: readonly LinearProgram[],
  probabilities: readonly number[],
  { colOffsets, rowOffsets }: { colOffsets: number[]; rowOffsets: number[] },
  room: Int32Array,
  into: Required<LinearProgram> & { colNames: string[]; rowNames: string[] },
): Int32Array {
  const colCost = into.colCost as Float64Array;
  const colLower = into.colLower as Float64Array;
  const colUpper = into.colUpper as Float64Array;
  const integrality = into.integrality as Int32Array;
  const aStart = into.aStart as Int32Array;
  const aIndex = into.aIndex as Int32Array;
  const aValue = into.aValue as Float64Array;
  const fill = new Int32Array(room.length);
  let k = 0;
  lps.forEach((lp, s) => {
    const weight = probabilities[s];
    into.offset += weight * (lp.offset ?? 0);
    for (let j = 0; j < lp.colCost.length; j++) {
      const g = colOffsets[s] + j;
      colCost[g] = weight * lp.colCost[j];
      colLower[g] = lp.colLower[j];
      colUpper[g] = lp.colUpper[j];
      integrality[g] = lp.integrality?.[j] ?? 0;
      into.colNames.push(scenarioName(s, lp.colNames?.[j] ?? `x${j}`));
      aStart[g] = k;
      for (let e = lp.aStart[j]; e < lp.aStart[j + 1]; e++) {
        aIndex[k] = lp.aIndex[e] + rowOffsets[s];
        aValue[k++] = lp.aValue[e];
      }
      fill[g] = k;
      k += room[g];
    }
    (into.rowLower as Float64Array).set(lp.rowLower, rowOffsets[s]);
    (into.rowUpper as Float64Array).set(lp.rowUpper, rowOffsets[s]);
    for (let i = 0; i < lp.rowLower.length; i++) into.rowNames.push(scenarioName(s, lp.rowNames?.[i] ?? `r${i}`));
  });
  aStart[room.length] = k;
  return fill;
}

/** Scenario s's part of the combined problem's solution, as if its own LP had been solved. */
export function scenarioSolution(
  combined: ScenarioProblem,
  lp: LinearProgram,
  s: number,
  result: SolveResult,
): SolveResult {
  const from = combined.columnOffsets[s];
  const n = lp.colCost.length;
  const colValue = result.colValue.subarray(from, from + n);
  let objective = lp.offset ?? 0;
  for (let j = 0; j < n; j++) objective += lp.colCost[j] * colValue[j];
  const rows = combined.rowOffsets[s];
  const m = lp.rowLower.length;
  return {
    ...result,
    objective,
    colValue,
    rowValue: result.rowValue.subarray(rows, rows + m),
    ...(result.colDual ? { colDual: result.colDual.subarray(from, from + n) } : {}),
    ...(result.rowDual ? { rowDual: result.rowDual.subarray(rows, rows + m) } : {}),
  };
}
