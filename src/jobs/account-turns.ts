/**
 * Fairness between accounts (TARN_MAX_RUNS_PER_ACCOUNT): which of an account's runs may start.
 * Pure; `RunsService.start` applies it to the account's unfinished runs as the database has them,
 * under a lock of the account's row, so that every process sharing the database counts the same.
 */

/** One of an account's runs that has not ended. */
export interface UnfinishedRun {
  id: number;
  status: 'queued' | 'running';
}

/**
 * What becomes of a run that asks to start:
 * - `start`: it starts now (a turn of its account is free, and it is the account's oldest waiting run);
 * - `resume`: it was running already (its worker died and the queue starts it again): it keeps its turn;
 * - `wait`: it stays `queued` until one of its account's runs ends (or an older one starts);
 * - `ended`: it must not start: it ended while it waited (cancelled, failed) or is gone with its session.
 */
export type Admission = 'start' | 'resume' | 'wait' | 'ended';

/**
 * The run of one account to start next: its oldest waiting run (runs are numbered in the order
 * they were made), when fewer than `limit` of its runs are running; otherwise none. Only the
 * account's own runs count: other accounts' runs neither make it wait nor are delayed by it.
 */
export function nextToStart(unfinished: readonly UnfinishedRun[], limit: number): number | undefined {
  let running = 0;
  let oldest: number | undefined;
  for (const run of unfinished) {
    if (run.status === 'running') running++;
    else if (oldest === undefined || run.id < oldest) oldest = run.id;
  }
  return running < limit ? oldest : undefined;
}

/** Whether the run `runId` of an account with these unfinished runs may start now (see `Admission`). */
export function admission(runId: number, unfinished: readonly UnfinishedRun[], limit: number): Admission {
  const run = unfinished.find((candidate) => candidate.id === runId);
  if (!run) return 'ended';
  if (run.status === 'running') return 'resume';
  return nextToStart(unfinished, limit) === runId ? 'start' : 'wait';
}
