import { describe, expect, it } from '@jest/globals';
import { serializeError } from './logger.js';

describe('serializeError', () => {
  it("keeps a failed query's message and stack but not its parameters, and shortens a long query", () => {
    const error = Object.assign(new Error('duplicate key'), {
      query: `INSERT INTO model_attribute ${'x'.repeat(5000)}`,
      parameters: [1, '{"model": "ten megabytes of it"}'],
    });
    const serialized = serializeError(error);
    expect(serialized.message).toBe('duplicate key');
    expect(serialized.stack).toContain('duplicate key');
    expect(serialized).not.toHaveProperty('parameters');
    expect((serialized.query as string).length).toBe(2003);
  });
});
