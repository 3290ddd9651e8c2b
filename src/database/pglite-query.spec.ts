import { describe, expect, it } from '@jest/globals';
import { protocol } from '@electric-sql/pglite';
import pgUtils from 'pg/lib/utils.js';
import { statementMessage } from './pglite-query.js';

const { serialize } = protocol;

/** The same message through PGlite's own serializer, as the statements were sent before. */
function reference(sql: string, params: readonly unknown[], statement?: string): Uint8Array {
  const parts = [
    ...(statement === undefined ? [serialize.parse({ text: sql })] : []),
    serialize.bind({ statement, values: params.map((value) => pgUtils.prepareValue(value)) }),
    serialize.describe({ type: 'P' }),
    serialize.execute({}),
    serialize.sync(),
  ];
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

describe('statementMessage', () => {
  const cases: Array<[string, unknown[]]> = [
    ['SELECT $1::int', [1]],
    ['INSERT INTO t (a, b, c) VALUES ($1, $2, $3)', ['plain', null, 'ünïcødé ✓ 😀 \u0000 end']],
    ['SELECT $1::jsonb, $2::text[], $3', [JSON.stringify({ a: [1, 2.5, 'x'] }), ['a', 'b"c', null], { k: 'v' }]],
    [
      'SELECT $1::bytea, $2::timestamptz, $3::bool',
      [Buffer.from([0, 1, 2, 255]), new Date(Date.UTC(2018, 0, 23)), true],
    ],
    ['SELECT $1', ['x'.repeat(70_000)]],
  ];

  it.each(cases)('writes what PGlite’s serializer writes: %s', (sql, params) => {
    expect(Buffer.from(statementMessage(sql, params))).toEqual(Buffer.from(reference(sql, params)));
    expect(Buffer.from(statementMessage(sql, params, 'tarn_7'))).toEqual(Buffer.from(reference(sql, params, 'tarn_7')));
  });

  it('sends a statement without parameters as a simple query', () => {
    expect(Buffer.from(statementMessage('SELECT 1; SELECT 2'))).toEqual(
      Buffer.from(serialize.query('SELECT 1; SELECT 2')),
    );
  });
});
