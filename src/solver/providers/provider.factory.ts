import type { InitOptions } from 'highs';
import { CbcProvider } from './cbc.provider.js';
import { HighsProvider } from './highs.provider.js';
import type { OptimizationProvider } from './optimization-provider.js';

/** TARN_SOLVER: which provider solves. */
export type ProviderKind = 'highs' | 'cbc';

export interface ProviderOptions {
  /** HiGHS: a compiled `highs.wasm` to instantiate; without it the provider compiles its own. */
  wasmModule?: InitOptions['wasmModule'];
  /** CBC: the cbc executable (a child process per solve); required for 'cbc'. */
  cbcCommand?: string;
}

/**
 * A provider of `kind`, ready to solve: HiGHS loaded and warmed up with one tiny solve (a load
 * failure rejects), or CBC, which loads nothing until its first solve.
 */
export async function createProvider(kind: ProviderKind, options: ProviderOptions = {}): Promise<OptimizationProvider> {
  if (kind === 'cbc') {
    if (!options.cbcCommand) throw new Error('the cbc provider needs the cbc command');
    return new CbcProvider(options.cbcCommand);
  }
  const highs = new HighsProvider(options.wasmModule ? { wasmModule: options.wasmModule } : {});
  await highs.warmUp();
  return highs;
}
