/** The optimizer's two callbacks: how it solves an LP and how it writes to the session log. */
import type { LinearProgram, SolveOptions, SolveResult } from '../providers/optimization-provider.js';

export type Solve = (lp: LinearProgram, options: SolveOptions) => Promise<SolveResult>;
export type Log = (level: 'INFO' | 'WARNING' | 'ERROR', message: string) => void;
