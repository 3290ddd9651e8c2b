import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PutWarmUp } from '../models/put-warm-up.js';
import { SolverPool } from '../solver/pool/solver-pool.js';

/** `not here`: this process solves nothing itself (with REDIS_URL the queue's workers do). */
export type SolverState = 'up' | 'starting' | 'down' | 'not here';

/**
 * The solver pool of this process for readiness, looked up without making the health module
 * depend on it: `starting` also while the upload path warms up (PutWarmUp).
 */
@Injectable()
export class SolverCheck {
  constructor(private readonly moduleRef: ModuleRef) {}

  state(): SolverState {
    let pool: SolverPool;
    try {
      pool = this.moduleRef.get(SolverPool, { strict: false });
    } catch {
      return 'not here';
    }
    const state = pool.state();
    return state === 'up' && !this.uploadsWarm() ? 'starting' : state;
  }

  private uploadsWarm(): boolean {
    try {
      return this.moduleRef.get(PutWarmUp, { strict: false }).ready;
    } catch {
      return true;
    }
  }
}
