import { Injectable } from '@nestjs/common';
import { SessionLogService } from '../logging/session-log.service.js';
import type { ShopModelJson } from '../models/model-store.service.js';
import type { Command } from '../models/shop-document.js';
import { interpretCommands } from './command-interpreter.js';
import { optimize, type OptimizationOutcome } from './hydro-optimizer.js';
import { SolverPool } from './solver-pool.js';

/**
 * Runs a session's commands: interprets them, optimizes the session's model off the event
 * loop (the solver pool), and logs each step to the session log. One run per session at a
 * time; `cancel` interrupts it.
 */
@Injectable()
export class SolverService {
  private readonly running = new Map<number, AbortController>();

  constructor(
    private readonly pool: SolverPool,
    private readonly logs: SessionLogService,
  ) {}

  /** Undefined when the commands only change settings (no `start sim`). */
  async run(sessionId: number, commands: Command[], model: ShopModelJson): Promise<OptimizationOutcome | undefined> {
    const { runs, warnings } = interpretCommands(commands);
    // Session log messages keep their order: each waits for the one before.
    let logged = Promise.resolve();
    const log = (level: 'INFO' | 'WARNING' | 'ERROR', message: string) => {
      logged = logged.then(() => this.logs.log(sessionId, level, message, 'solver'));
    };
    warnings.forEach((warning) => log('WARNING', warning));
    if (!runs.length) {
      await logged;
      return undefined;
    }
    const controller = new AbortController();
    this.running.get(sessionId)?.abort();
    this.running.set(sessionId, controller);
    try {
      const outcome = await optimize(
        model,
        runs,
        (lp, options) => this.pool.solve(lp, options, controller.signal),
        log,
      );
      if (outcome.objective) {
        log(
          'INFO',
          `Objective: grand_total ${outcome.objective.grand_total.toFixed(2)} after ${outcome.iterations} iteration(s)`,
        );
      }
      return outcome;
    } finally {
      if (this.running.get(sessionId) === controller) this.running.delete(sessionId);
      await logged;
    }
  }

  /** Interrupts the session's running solve; false when none runs. */
  cancel(sessionId: number): boolean {
    const controller = this.running.get(sessionId);
    controller?.abort();
    return controller !== undefined;
  }
}
