/**
 * The SHOP catalog: the object types, attributes and commands Tarn knows, with lookups.
 * Pure data (generated from SHOP's public documentation into shop-catalog.generated.ts,
 * see scripts/generate-catalog.js) and pure functions; no Nest.
 */
import type { AttributeInfo, CommandInfo, ShopDatatype } from './catalog.types.js';
import { ATTRIBUTE_ROWS, COMMAND_ROWS, OBJECT_TYPE_NAMES } from './shop-catalog.generated.js';

export type { AttributeInfo, CommandInfo, ShopDatatype };

/** Every object type, sorted. */
export const OBJECT_TYPES: readonly string[] = Object.freeze([...OBJECT_TYPE_NAMES].sort());

const objectTypes = new Set(OBJECT_TYPES);
/** Per object type, its attributes by name (Maps, so that `__proto__` and the like are plain misses). */
const byType = new Map<string, Map<string, AttributeInfo>>(OBJECT_TYPES.map((type) => [type, new Map()]));

for (const row of ATTRIBUTE_ROWS) {
  const [objectType, name, datatype, xUnit, yUnit, isInput, isOutput, licenseName, defaultValue, description] = row;
  const attributes = byType.get(objectType);
  if (!attributes) throw new Error(`catalog: attribute ${objectType}.${name} of an unlisted object type`);
  attributes.set(
    name,
    Object.freeze({
      objectType,
      name,
      datatype,
      xUnit,
      yUnit,
      isInput,
      isOutput,
      licenseName,
      defaultValue,
      description,
    }),
  );
}

const listsByType = new Map<string, readonly AttributeInfo[]>(
  [...byType].map(([type, attributes]) => [type, Object.freeze([...attributes.values()])]),
);

/** Every attribute, by object type (in OBJECT_TYPES order), each type's in catalog order. */
export const ATTRIBUTES: readonly AttributeInfo[] = Object.freeze([...listsByType.values()].flat());

export function isObjectType(name: string): boolean {
  return objectTypes.has(name);
}

/** The attributes of an object type, in catalog order; empty for unknown types. */
export function attributesOf(objectType: string): readonly AttributeInfo[] {
  return listsByType.get(objectType) ?? [];
}

/** One attribute, or undefined (also for keys such as `__proto__`: lookups go through a Map). */
export function attributeInfo(objectType: string, attribute: string): AttributeInfo | undefined {
  return byType.get(objectType)?.get(attribute);
}

// ---------------------------------------------------------------------------------------------
// Connections: the table of legal relations per object type (shop-json.md §5, from the object
// pages of sintefenergy/shop-documentation). Types not listed (global_settings, lp_model,
// network, objective, scenario, unit_combination, system, flow_constraint) connect to nothing.

interface ConnectionRule {
  /** may connect to (outputs) */
  to: readonly string[];
  /** may receive from (inputs) */
  from: readonly string[];
}

const both = (types: readonly string[]): ConnectionRule => ({ to: types, from: types });

const CONNECTION_TABLE: Readonly<Record<string, ConnectionRule>> = {
  reservoir: {
    to: [
      'plant',
      'river',
      'gate',
      'tunnel',
      'cut_group',
      'inflow_series',
      'junction_gate',
      'junction',
      'creek_intake',
      'volume_constraint',
    ],
    from: ['plant', 'gate', 'junction', 'volume_constraint', 'cut_group', 'inflow_series', 'tunnel', 'river'],
  },
  plant: {
    to: [
      'river',
      'reservoir',
      'tunnel',
      'junction',
      'discharge_group',
      'production_group',
      'bid_group',
      'generator',
      'pump',
      'plant_reserve_capability',
    ],
    from: [
      'reservoir',
      'generator',
      'pump',
      'junction',
      'junction_gate',
      'creek_intake',
      'discharge_group',
      'production_group',
      'bid_group',
      'tunnel',
      'plant_reserve_capability',
    ],
  },
  generator: {
    to: ['plant', 'reserve_group', 'commit_group', 'needle_combination', 'busbar', 'gen_reserve_capability'],
    from: ['plant', 'needle_combination', 'reserve_group', 'commit_group', 'busbar', 'gen_reserve_capability'],
  },
  pump: both(['plant', 'reserve_group', 'commit_group', 'busbar', 'pump_reserve_capability']),
  gate: { to: ['reservoir', 'junction', 'discharge_group'], from: ['reservoir', 'creek_intake', 'discharge_group'] },
  junction: {
    to: ['plant', 'junction_gate', 'junction', 'reservoir'],
    from: ['reservoir', 'plant', 'gate', 'junction', 'creek_intake'],
  },
  junction_gate: { to: ['plant', 'junction_gate'], from: ['reservoir', 'junction', 'junction_gate'] },
  creek_intake: { to: ['plant', 'gate', 'junction', 'creek_intake'], from: ['reservoir', 'creek_intake'] },
  tunnel: {
    to: ['tunnel', 'plant', 'reservoir', 'river', 'interlock_constraint', 'discharge_group'],
    from: ['reservoir', 'plant', 'discharge_group', 'tunnel', 'interlock_constraint'],
  },
  river: {
    to: ['river', 'reservoir', 'discharge_group'],
    from: ['reservoir', 'plant', 'discharge_group', 'tunnel', 'river'],
  },
  market: both(['reserve_group', 'busbar']),
  reserve_group: both(['generator', 'pump', 'market']),
  needle_combination: both(['generator', 'needle_comb_reserve_capability']),
  discharge_group: both(['plant', 'gate', 'river', 'tunnel']),
  production_group: both(['plant']),
  bid_group: both(['plant']),
  plant_reserve_capability: both(['plant']),
  commit_group: both(['commit_group', 'generator', 'pump']),
  cut_group: both(['reservoir', 'inflow_series']),
  inflow_series: both(['reservoir', 'cut_group']),
  volume_constraint: both(['reservoir']),
  interlock_constraint: both(['tunnel']),
  busbar: {
    to: ['market', 'generator', 'pump', 'thermal', 'ac_line', 'dc_line', 'contract'],
    from: ['generator', 'pump', 'thermal', 'contract', 'market', 'ac_line', 'dc_line'],
  },
  ac_line: both(['busbar']),
  dc_line: both(['busbar']),
  thermal: both(['busbar']),
  contract: both(['busbar']),
  gen_reserve_capability: both(['generator']),
  pump_reserve_capability: both(['pump']),
  needle_comb_reserve_capability: both(['needle_combination']),
};

const outputs = new Map(Object.entries(CONNECTION_TABLE).map(([type, rule]) => [type, new Set(rule.to)]));
const inputs = new Map(Object.entries(CONNECTION_TABLE).map(([type, rule]) => [type, new Set(rule.from)]));

/** The object types water flows through: relations among them are physical and directed. */
const HYDRAULIC_TYPES = new Set([
  'reservoir',
  'plant',
  'gate',
  'tunnel',
  'river',
  'junction',
  'junction_gate',
  'creek_intake',
]);

/** `physical` (water flows from → to) between two hydraulic types, otherwise `logical`. */
export function relationCategory(fromType: string, toType: string): 'physical' | 'logical' {
  return HYDRAULIC_TYPES.has(fromType) && HYDRAULIC_TYPES.has(toType) ? 'physical' : 'logical';
}

const listed = (fromType: string, toType: string) =>
  Boolean(outputs.get(fromType)?.has(toType) || inputs.get(toType)?.has(fromType));

/**
 * Whether a connection from an object of fromType to one of toType is legal: toType is among
 * fromType's outputs, or fromType among toType's inputs. Logical relations (generator ↔ plant,
 * reserve_group ↔ generator, ...) may be written either way round, physical ones only along
 * the flow of water.
 */
export function connectionAllowed(fromType: string, toType: string): boolean {
  if (listed(fromType, toType)) return true;
  return relationCategory(fromType, toType) === 'logical' && listed(toType, fromType);
}

// ---------------------------------------------------------------------------------------------
// Commands

export const COMMANDS: readonly CommandInfo[] = Object.freeze(
  COMMAND_ROWS.map((command) => Object.freeze({ ...command, options: Object.freeze([...command.options]) })),
);

const normalizeCommand = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();
const commandsByName = new Map(COMMANDS.map((command) => [normalizeCommand(command.name), command]));

/** A command by its full name with spaces, case-insensitively (`start sim`, `SET CODE`); no prefixes. */
export function findCommand(name: string): CommandInfo | undefined {
  return commandsByName.get(normalizeCommand(name));
}

// ---------------------------------------------------------------------------------------------
// The verbose attribute record of the information endpoints (SHOP Server's field names)

export interface VerboseAttributeInfo {
  attribute_name: string;
  /** The catalog datatype; `unknown` where the documentation does not give it. */
  legacy_datatype: string;
  /** null: the documentation does not say. */
  is_input: boolean | null;
  is_output: boolean | null;
  x_unit: string | null;
  y_unit: string | null;
  license_name: string | null;
  /** `<object_type>.<attribute_name>` */
  full_name: string;
  /** `get_<attribute_name>` (the getter of pyshop-style clients); null while the datatype is unknown. */
  data_func_name: string | null;
  description: string;
  documentation_url: string;
  example_url_prefix: string | null;
  example: string | null;
  default_value: string | null;
  /** SHOP marks no attribute required. */
  required: boolean;
}

export const DOCUMENTATION_BASE_URL = 'https://docs.shop.sintef.energy/objects';

/** The attribute's section on its object page of SHOP's documentation. */
export function documentationUrl(objectType: string, attribute: string): string {
  const type = objectType.toLowerCase();
  return `${DOCUMENTATION_BASE_URL}/${type}/${type}.html#${attribute.toLowerCase().replace(/_/g, '-')}`;
}

export function verboseAttributeInfo(info: AttributeInfo): VerboseAttributeInfo {
  return {
    attribute_name: info.name,
    legacy_datatype: info.datatype ?? 'unknown',
    is_input: info.isInput,
    is_output: info.isOutput,
    x_unit: info.xUnit,
    y_unit: info.yUnit,
    license_name: info.licenseName,
    full_name: `${info.objectType}.${info.name}`,
    data_func_name: info.datatype === null ? null : `get_${info.name}`,
    description: info.description,
    documentation_url: documentationUrl(info.objectType, info.name),
    example_url_prefix: null,
    example: null,
    default_value: info.defaultValue,
    required: false,
  };
}
