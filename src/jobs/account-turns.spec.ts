import { describe, expect, it } from '@jest/globals';
import { admission, nextToStart, type UnfinishedRun } from './account-turns.js';

const queued = (id: number): UnfinishedRun => ({ id, status: 'queued' });
const running = (id: number): UnfinishedRun => ({ id, status: 'running' });

/**
 * Starts runs as the server does: every waiting run asks, oldest first, again after each start,
 * until none may start; answers the ids started, in order. `accounts`: each account's unfinished
 * runs. (A started run then waits for a solver thread in the pool's own order, or is a job the
 * queue's workers take in theirs.)
 */
function startAll(accounts: Map<string, UnfinishedRun[]>, limit: number): number[] {
  const started: number[] = [];
  const waiting = () =>
    [...accounts.values()]
      .flat()
      .filter((run) => run.status === 'queued')
      .sort((a, b) => a.id - b.id);
  for (let progress = true; progress;) {
    progress = false;
    for (const run of waiting()) {
      const account = [...accounts.values()].find((runs) => runs.includes(run))!;
      if (admission(run.id, account, limit) === 'start') {
        run.status = 'running';
        started.push(run.id);
        progress = true;
      }
    }
  }
  return started;
}

describe('nextToStart: the run of an account to start next', () => {
  it('is the oldest waiting run while fewer than the limit run', () => {
    expect(nextToStart([queued(7), queued(3), queued(5)], 1)).toBe(3);
    expect(nextToStart([running(1), queued(4), queued(2)], 2)).toBe(2);
  });

  it('is none when the account runs as many as the limit, or waits for nothing', () => {
    expect(nextToStart([running(1), queued(2)], 1)).toBeUndefined();
    expect(nextToStart([running(1), running(2), queued(3)], 2)).toBeUndefined();
    expect(nextToStart([running(1)], 4)).toBeUndefined();
    expect(nextToStart([], 1)).toBeUndefined();
  });
});

describe('admission: whether a run may start now', () => {
  it('starts the oldest waiting run when a turn is free', () => {
    expect(admission(2, [running(1), queued(2), queued(3)], 2)).toBe('start');
    expect(admission(5, [queued(5)], 1)).toBe('start');
  });

  it('lets a run wait while its account runs as many as the limit', () => {
    expect(admission(2, [running(1), queued(2)], 1)).toBe('wait');
  });

  it('keeps the order: a younger run waits while an older one of its account waits, even with a turn free', () => {
    expect(admission(3, [running(1), queued(2), queued(3)], 2)).toBe('wait');
    expect(admission(3, [queued(2), queued(3)], 5)).toBe('wait');
  });

  it('lets a run that was running go on (its worker died and the queue starts it again), even over the limit', () => {
    expect(admission(1, [running(1), running(2)], 1)).toBe('resume');
  });

  it('does not start a run that is no longer unfinished (cancelled, failed, or gone with its session)', () => {
    expect(admission(9, [running(1), queued(2)], 4)).toBe('ended');
    expect(admission(9, [], 4)).toBe('ended');
  });
});

describe('two accounts sharing the solver', () => {
  it("limit 1: starts one of A's runs and B's run, ahead of A's waiting ones, whatever their order", () => {
    const a = [queued(1), queued(2), queued(3)];
    const b = [queued(4)];
    expect(
      startAll(
        new Map([
          ['A', a],
          ['B', b],
        ]),
        1,
      ),
    ).toEqual([1, 4]);
    expect(a.map((run) => run.status)).toEqual(['running', 'queued', 'queued']);
  });

  it("limit 1: starts A's runs one at a time, in order, as each ends", () => {
    const a = [queued(1), queued(2), queued(3)];
    const accounts = new Map([['A', a]]);
    const order: number[] = [...startAll(accounts, 1)];
    while (a.length) {
      a.splice(
        a.findIndex((run) => run.status === 'running'),
        1,
      ); // it ends
      order.push(...startAll(accounts, 1));
    }
    expect(order).toEqual([1, 2, 3]);
  });

  it("limit 1: B's next run starts when B's run ends, while A's waiting run still waits for A's", () => {
    const a = [running(1), queued(2)];
    const b = [running(3), queued(4)];
    const accounts = new Map([
      ['A', a],
      ['B', b],
    ]);
    b.shift(); // B's first run ends
    expect(startAll(accounts, 1)).toEqual([4]);
    expect(a[1].status).toBe('queued');
  });

  it('limit 2: A starts two runs, its third waits; B starts its own', () => {
    const a = [queued(1), queued(2), queued(3)];
    const b = [queued(4)];
    expect(
      startAll(
        new Map([
          ['A', a],
          ['B', b],
        ]),
        2,
      ),
    ).toEqual([1, 2, 4]);
    expect(a[2].status).toBe('queued');
  });
});
