/**
 * SHOP Server's internal functions (`/internal/<Name>`) that Tarn serves: their names, the
 * license list and the arguments of DumpYamlString. Pure; the controller does the I/O.
 */
import { BadRequestException } from '@nestjs/common';
import { ATTRIBUTES, COMMANDS } from '../shop/catalog.js';

/** What `GET /internal` lists, in SHOP's spelling. */
export const INTERNAL_FUNCTIONS = ['DumpYamlString', 'GetLicenseInfo'] as const;

/**
 * The SHOP licenses Tarn implements. SHOP_OPEN covers the model, YAML and the information
 * endpoints; the solver module adds the licenses of what it implements.
 */
export const GRANTED_LICENSES: ReadonlySet<string> = new Set(['SHOP_OPEN']);

export const GRANTED = 'GRANTED';
export const NOT_AVAILABLE = 'NOT_AVAILABLE';

/**
 * `"<LICENSE>:<access>"` for every license name in the catalog (attributes and commands):
 * the granted ones first, then the others, each group sorted.
 */
export function licenseInfo(granted: ReadonlySet<string> = GRANTED_LICENSES): string[] {
  const names = new Set<string>();
  for (const attribute of ATTRIBUTES) if (attribute.licenseName) names.add(attribute.licenseName);
  for (const command of COMMANDS) if (command.license) names.add(command.license);
  for (const name of granted) names.add(name);
  const sorted = [...names].sort();
  return [
    ...sorted.filter((name) => granted.has(name)).map((name) => `${name}:${GRANTED}`),
    ...sorted.filter((name) => !granted.has(name)).map((name) => `${name}:${NOT_AVAILABLE}`),
  ];
}

export interface DumpYamlArgs {
  inputOnly: boolean;
  compressTxy: boolean;
  compressConnections: boolean;
}

/** SHOP's dump_yaml defaults (shop-json.md §7): input only, compressed series and connections. */
export const DUMP_YAML_DEFAULTS: readonly boolean[] = [true, true, true];

const ARG_NAMES = ['inputOnly', 'compressTxy', 'compressConnections'] as const;

const invalid = (path: string, message: string) =>
  new BadRequestException({ message: `${path} ${message}`, details: [{ path, message }] });

/**
 * The body of DumpYamlString: `{"args": [inputOnly?, compressTxy?, compressConnections?]}`,
 * up to three booleans, missing ones (or a missing body) taking SHOP's defaults. Else 400.
 */
export function parseDumpYamlArgs(body: unknown): DumpYamlArgs {
  if (body === undefined || body === null) return toArgs([]);
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('body', 'must be an object {"args": [inputOnly, compressTxy, compressConnections]}');
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => key !== 'args');
  if (unknown.length) throw invalid(unknown[0], 'is not a field of this body (only args)');
  const args = fields.args;
  if (args === undefined) return toArgs([]);
  if (!Array.isArray(args)) throw invalid('args', 'must be an array of up to 3 booleans');
  if (args.length > ARG_NAMES.length) throw invalid('args', `has ${args.length} items, at most 3 are taken`);
  args.forEach((arg, i) => {
    if (typeof arg !== 'boolean') throw invalid(`args[${i}]`, `(${ARG_NAMES[i]}) must be true or false`);
  });
  return toArgs(args as boolean[]);
}

function toArgs(args: boolean[]): DumpYamlArgs {
  const [inputOnly, compressTxy, compressConnections] = ARG_NAMES.map((_, i) => args[i] ?? DUMP_YAML_DEFAULTS[i]);
  return { inputOnly, compressTxy, compressConnections };
}
