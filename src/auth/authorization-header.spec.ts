import { describe, expect, it } from '@jest/globals';
import { parseAuthorization } from './authorization-header.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('parseAuthorization', () => {
  it.each([undefined, '', '   '])('is none without a header (%j)', (header) => {
    expect(parseAuthorization(header)).toEqual({ kind: 'none' });
  });

  it('takes a Bearer token and a bare one', () => {
    expect(parseAuthorization('Bearer a.b.c')).toEqual({ kind: 'token', token: 'a.b.c' });
    expect(parseAuthorization(' a.b.c ')).toEqual({ kind: 'token', token: 'a.b.c' });
  });

  it('reads Basic credentials as requests sends a netrc entry, the secret up to the end', () => {
    expect(parseAuthorization(`Basic ${b64('Planner@Example.com:a.b.c')}`)).toEqual({
      kind: 'basic',
      login: 'Planner@Example.com',
      secret: 'a.b.c',
    });
    expect(parseAuthorization(`basic   ${b64('a@b.c:x:y')}`)).toEqual({ kind: 'basic', login: 'a@b.c', secret: 'x:y' });
  });

  it.each(['Basic', 'Basic !!!', `Basic ${b64('no colon')}`, `Basic ${b64(':secret')}`, `Basic ${b64('login:')}`])(
    'takes %j as malformed Basic credentials',
    (header) => {
      expect(parseAuthorization(header)).toEqual({ kind: 'malformed-basic' });
    },
  );
});
