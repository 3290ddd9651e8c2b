import { CreateAccountsUsersDeprecatedCalls1764547200000 } from './1764547200000-CreateAccountsUsersDeprecatedCalls.js';
import { CreateOptimizationSessions1764633600000 } from './1764633600000-CreateOptimizationSessions.js';
import { CreateModelStore1764720000000 } from './1764720000000-CreateModelStore.js';
import { CreateSessionLog1764806400000 } from './1764806400000-CreateSessionLog.js';
import { AddSessionSolverSettings1764892800000 } from './1764892800000-AddSessionSolverSettings.js';
import { CreateSolverRuns1764979200000 } from './1764979200000-CreateSolverRuns.js';
import { AddSolverRunHeartbeat1765065600000 } from './1765065600000-AddSolverRunHeartbeat.js';
import { AddSolverRunQueue1765152000000 } from './1765152000000-AddSolverRunQueue.js';
import { CreateShopApiState1765238400000 } from './1765238400000-CreateShopApiState.js';
import { AddSessionShopCompat1765324800000 } from './1765324800000-AddSessionShopCompat.js';
import { CreateSessionSolverState1765411200000 } from './1765411200000-CreateSessionSolverState.js';
import { CreateModelRevision1765497600000 } from './1765497600000-CreateModelRevision.js';
import { AddSolverRunUnfinishedIndex1765584000000 } from './1765584000000-AddSolverRunUnfinishedIndex.js';
import { SolverStateAsJson1765670400000 } from './1765670400000-SolverStateAsJson.js';

/** Every migration, oldest first. A landed migration is never edited: add a new one. */
export const MIGRATIONS = [
  CreateAccountsUsersDeprecatedCalls1764547200000,
  CreateOptimizationSessions1764633600000,
  CreateModelStore1764720000000,
  CreateSessionLog1764806400000,
  AddSessionSolverSettings1764892800000,
  CreateSolverRuns1764979200000,
  AddSolverRunHeartbeat1765065600000,
  AddSolverRunQueue1765152000000,
  CreateShopApiState1765238400000,
  AddSessionShopCompat1765324800000,
  CreateSessionSolverState1765411200000,
  CreateModelRevision1765497600000,
  AddSolverRunUnfinishedIndex1765584000000,
  SolverStateAsJson1765670400000,
];
