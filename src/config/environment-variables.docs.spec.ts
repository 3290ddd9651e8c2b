import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { getMetadataStorage } from 'class-validator';
import { EnvironmentVariables } from './environment-variables.js';

/** Every variable the configuration validates (class-validator knows each decorated property). */
const validated = new Set(
  getMetadataStorage()
    .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
    .map((m) => m.propertyName),
);
/** What .env.example sets for docker compose (the database container, the image build), not for Tarn. */
const COMPOSE_ONLY = ['POSTGRES_DB', 'POSTGRES_PASSWORD', 'POSTGRES_USER', 'WITH_CBC'];

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const table = readme.slice(
  readme.indexOf('## Configuration'),
  readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1),
);
/** The variables named in the first column of the README's configuration table. */
const inReadme = new Set(
  table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])),
);
const inExample = new Set(
  [...readFileSync(new URL('../../.env.example', import.meta.url), 'utf8').matchAll(/^# ?([A-Z][A-Z0-9_]+)=/gm)].map(
    (m) => m[1],
  ),
);

describe('the documented configuration', () => {
  const expected = [...validated].sort();

  it('the README table lists exactly the variables Tarn reads', () => {
    expect(expected.length).toBeGreaterThan(30);
    expect([...inReadme].sort()).toEqual(expected);
  });

  it('.env.example has a line for every one of them', () => {
    expect([...inExample].sort()).toEqual([...expected, ...COMPOSE_ONLY].sort());
  });
});
