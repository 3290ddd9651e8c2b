import { describe, expect, it } from '@jest/globals';
import { CbcProvider } from './cbc.provider.js';
import { HighsProvider } from './highs.provider.js';
import type { LinearProgram } from './optimization-provider.js';
import { createProvider } from './provider.factory.js';

// max x + y, x + 2y <= 4, 0 <= x <= 3, y >= 0: x = 3, y = 0.5.
const LP: LinearProgram = {
  sense: 'max',
  colCost: [1, 1],
  colLower: [0, 0],
  colUpper: [3, Infinity],
  rowLower: [-Infinity],
  rowUpper: [4],
  aStart: [0, 1, 2],
  aIndex: [0, 0],
  aValue: [1, 2],
};

describe('createProvider', () => {
  it('makes a warmed-up HiGHS provider that solves', async () => {
    const provider = await createProvider('highs');
    expect(provider).toBeInstanceOf(HighsProvider);
    const result = await provider.solve(LP);
    expect(result.status).toBe('optimal');
    expect(result.objective).toBeCloseTo(3.5, 9);
  });

  it('makes a CBC provider for the given command without running it', async () => {
    const provider = await createProvider('cbc', { cbcCommand: '/nonexistent/cbc' });
    expect(provider).toBeInstanceOf(CbcProvider);
    expect(provider.name).toBe('cbc');
  });

  it('rejects CBC without a command', async () => {
    await expect(createProvider('cbc')).rejects.toThrow(/cbc command/);
  });
});
