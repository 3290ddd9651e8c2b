/**
 * The constraint families of an iteration's problem, in the order they add their columns and
 * rows (which is the LP's column and row order). A new object type is a family file here plus
 * its entry in this list, before the balance families if it moves water or power (they write
 * the water and power balance rows from the terms the families before them added).
 */
import type { ConstraintFamily } from './constraint-family.js';
import { cuts } from './cuts.js';
import { endValue } from './end-value.js';
import { gateFunctions } from './gate-functions.js';
import { gates } from './gates.js';
import { headTerms } from './head-terms.js';
import { marketBalance } from './market-balance.js';
import { markets } from './markets.js';
import { nodeBalance } from './node-balance.js';
import { overflow } from './overflow.js';
import { plantUnits } from './plant-units.js';
import { pumps } from './pumps.js';
import { reserves } from './reserves.js';
import { reservoirBalance } from './reservoir-balance.js';
import { reservoirs } from './reservoirs.js';
import { rivers } from './rivers.js';
import { storageLimits } from './storage-limits.js';
import { tunnels } from './tunnels.js';

export const CONSTRAINT_FAMILIES: readonly ConstraintFamily[] = [
  reservoirs,
  plantUnits,
  pumps,
  gates,
  gateFunctions,
  rivers,
  markets,
  reserves,
  tunnels,
  reservoirBalance,
  nodeBalance,
  storageLimits,
  headTerms,
  marketBalance,
  endValue,
  cuts,
  overflow,
];
