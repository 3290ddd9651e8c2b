// Writes src/shop/shop-catalog.generated.ts from SHOP's reference tables:
//
//   node scripts/generate-catalog.js <shop-attributes.csv> <shop-commands.csv>
//
// The generated module is committed data: Tarn never reads the CSV files at run time.
// Every input row is checked (columns, booleans, datatypes, duplicates); a bad row stops
// the script with its line number, and nothing is written.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const OUTPUT = fileURLToPath(new URL('../src/shop/shop-catalog.generated.ts', import.meta.url));

const ATTRIBUTE_COLUMNS = [
  'object_type',
  'attribute_name',
  'datatype',
  'x_unit',
  'y_unit',
  'is_input',
  'is_output',
  'license_name',
  'default_value',
];
const COMMAND_COLUMNS = [
  'command',
  'options',
  'value_kind',
  'value_count',
  'value_notes',
  'default_if_omitted',
  'license',
  'release_version',
  'deprecated',
  'doc_path',
];
const DATATYPES = new Set([
  'int',
  'double',
  'string',
  'int_array',
  'double_array',
  'string_array',
  'xy',
  'xy_array',
  'txy',
  'xyt',
  'sy',
]);

/** Object types SHOP knows that have no attribute rows (shop-json.md §3, §11). */
const TYPES_WITHOUT_ATTRIBUTES = ['network', 'flow_constraint'];

/** Attributes the example YAMLs use that the reference table lacks (shop-json.md §11). */
const EXTRA_ATTRIBUTES = [
  {
    object_type: 'plant',
    attribute_name: 'equal_distribution',
    datatype: 'int',
    x_unit: 'NO_UNIT',
    y_unit: 'NO_UNIT',
    is_input: 'true',
    is_output: 'false',
    license_name: '',
    default_value: '',
  },
  {
    // Units inferred: an end-valuation table over reservoir volume, priced per MWh (the name says so).
    object_type: 'reservoir',
    attribute_name: 'endpoint_desc_nok_mwh',
    datatype: 'xy',
    x_unit: 'MM3',
    y_unit: 'NOK/MWH',
    is_input: 'true',
    is_output: 'false',
    license_name: '',
    default_value: '',
  },
];

/**
 * Results Tarn writes whose I/O (and datatype) the reference table leaves open (shop-json.md §11):
 * SHOP's pages describe them as results, so they are outputs (txy: one value per time step).
 */
const OUTPUTS_TARN_WRITES = [
  'pump.max_cons',
  'pump.min_cons',
  'tunnel.physical_flow',
  'river.physical_flow',
  'river.initial_downstream_flow',
  'river.distributed_past_upstream_flow',
  'river.ramping_up_penalty',
  'river.ramping_down_penalty',
  'river.flow_penalty',
  'river.flow_schedule_penalty',
  'river.gate_adjustment_penalty',
  'river.gate_ramping_penalty',
];

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. Returns rows with their line numbers. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push({ line: rowLine, fields: row });
      row = [];
      field = '';
      line++;
      rowLine = line;
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error(`unterminated quoted field starting on line ${rowLine}`);
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push({ line: rowLine, fields: row });
  }
  return rows.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
}

function readTable(file, columns) {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  if (!header || header.fields.join(',') !== columns.join(',')) {
    throw new Error(`${file}: expected the header ${columns.join(',')}, got ${header?.fields.join(',')}`);
  }
  return rows.map(({ line, fields }) => {
    if (fields.length !== columns.length) {
      throw new Error(`${file} line ${line}: ${fields.length} fields, expected ${columns.length}`);
    }
    return { line, ...Object.fromEntries(columns.map((c, i) => [c, fields[i].trim()])) };
  });
}

const where = (file, row) => `${file} line ${row.line ?? '(added)'}`;

function flag(value, file, row, column) {
  if (value === '') return null;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`${where(file, row)}: ${column} must be true, false or empty, got ${JSON.stringify(value)}`);
}

const orNull = (value) => (value === '' ? null : value);
const human = (name) => name.replace(/_/g, ' ');
const SINGLETONS = new Set(['global_settings', 'lp_model', 'system']);
const article = (type) => (SINGLETONS.has(type) ? 'the' : /^[aeio]/.test(type) ? 'an' : 'a');
const unit = (u) => (u && u !== 'NO_UNIT' ? u : null);

/** A short description in our own words, from the facts of the row. */
function describe(a) {
  const role = a.isInput && a.isOutput ? 'Input and output' : a.isInput ? 'Input' : a.isOutput ? 'Output' : 'Attribute';
  const parts = [a.datatype ?? 'datatype unknown'];
  const x = unit(a.xUnit);
  const y = unit(a.yUnit);
  const table = a.datatype === 'xy' || a.datatype === 'xy_array' || a.datatype === 'xyt';
  if (table || (a.datatype === null && a.xUnit !== a.yUnit)) {
    if (x) parts.push(`x ${x}`);
    if (y) parts.push(`y ${y}`);
  } else if (y) {
    parts.push(y);
  }
  const flags = a.isInput === null && a.isOutput === null ? ' Input/output not documented.' : '';
  const byDefault = a.defaultValue !== null ? ` Default ${a.defaultValue}.` : '';
  return `${role} of ${article(a.objectType)} ${human(a.objectType)}: ${human(a.name)} (${parts.join(', ')}).${flags}${byDefault}`;
}

function toAttribute(file, row) {
  // Object types are lower-case; a few lp_model attributes are not (AA, Irow, Jcol).
  const patterns = { object_type: /^[a-z][a-z0-9_]*$/, attribute_name: /^[A-Za-z][A-Za-z0-9_]*$/ };
  for (const [column, pattern] of Object.entries(patterns)) {
    if (!pattern.test(row[column])) {
      throw new Error(`${where(file, row)}: ${column} ${JSON.stringify(row[column])} is not a SHOP name`);
    }
  }
  if (row.datatype !== '' && !DATATYPES.has(row.datatype)) {
    throw new Error(`${where(file, row)}: unknown datatype ${JSON.stringify(row.datatype)}`);
  }
  const attribute = {
    objectType: row.object_type,
    name: row.attribute_name,
    datatype: orNull(row.datatype),
    xUnit: orNull(row.x_unit),
    yUnit: orNull(row.y_unit),
    isInput: flag(row.is_input, file, row, 'is_input'),
    isOutput: flag(row.is_output, file, row, 'is_output'),
    licenseName: orNull(row.license_name),
    defaultValue: orNull(row.default_value),
  };
  return { ...attribute, description: describe(attribute) };
}

function toCommand(file, row) {
  if (!/^[a-z][a-z0-9_]*( [a-z0-9_]+)*$/.test(row.command)) {
    throw new Error(`${where(file, row)}: command ${JSON.stringify(row.command)} is not a SHOP command name`);
  }
  const options = row.options === '' ? [] : row.options.split(/\s+/);
  for (const option of options) {
    if (!/^\/[a-z0-9_]+$/i.test(option)) throw new Error(`${where(file, row)}: option ${JSON.stringify(option)}`);
  }
  if (row.deprecated !== '' && row.deprecated !== 'yes') {
    throw new Error(`${where(file, row)}: deprecated must be yes or empty, got ${JSON.stringify(row.deprecated)}`);
  }
  return {
    name: row.command,
    options: options.map((o) => o.slice(1)),
    valueKind: row.value_kind,
    valueCount: row.value_count,
    valueNotes: orNull(row.value_notes),
    defaultIfOmitted: orNull(row.default_if_omitted),
    license: orNull(row.license),
    releaseVersion: orNull(row.release_version),
    deprecated: row.deprecated === 'yes',
    docPath: orNull(row.doc_path),
  };
}

/** A TypeScript literal: strings single-quoted (escaped), arrays and objects on one line. */
function literal(value) {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  return `{ ${Object.entries(value)
    .map(([k, v]) => `${k}: ${literal(v)}`)
    .join(', ')} }`;
}

function main([attributesFile, commandsFile]) {
  if (!attributesFile || !commandsFile) {
    console.error('usage: node scripts/generate-catalog.js <shop-attributes.csv> <shop-commands.csv>');
    process.exit(2);
  }
  const rows = readTable(attributesFile, ATTRIBUTE_COLUMNS);
  const attributes = rows.map((row) => toAttribute(attributesFile, row));
  const csvCount = attributes.length;
  // The additions go after the last row of their object type, so that each type stays together.
  for (const extra of EXTRA_ATTRIBUTES) {
    const added = toAttribute('added', extra);
    const last = attributes.findLastIndex((a) => a.objectType === added.objectType);
    attributes.splice(last === -1 ? attributes.length : last + 1, 0, added);
  }
  for (const key of OUTPUTS_TARN_WRITES) {
    const i = attributes.findIndex((a) => `${a.objectType}.${a.name}` === key);
    if (i === -1) throw new Error(`OUTPUTS_TARN_WRITES: ${key} is not in ${attributesFile}`);
    const a = attributes[i];
    if (a.isOutput !== null) throw new Error(`OUTPUTS_TARN_WRITES: ${key} already says is_output ${a.isOutput}`);
    const completed = { ...a, datatype: a.datatype ?? 'txy', isInput: a.isInput ?? false, isOutput: true };
    delete completed.description;
    attributes[i] = { ...completed, description: describe(completed) };
  }
  const seen = new Set();
  for (const a of attributes) {
    const key = `${a.objectType}.${a.name}`;
    if (seen.has(key)) throw new Error(`${attributesFile}: ${key} appears twice`);
    seen.add(key);
  }
  const objectTypes = [...new Set([...attributes.map((a) => a.objectType), ...TYPES_WITHOUT_ATTRIBUTES])].sort();

  const commands = readTable(commandsFile, COMMAND_COLUMNS).map((row) => toCommand(commandsFile, row));
  const names = new Set();
  for (const c of commands) {
    if (names.has(c.name)) throw new Error(`${commandsFile}: command ${c.name} appears twice`);
    names.add(c.name);
  }

  const attributeLines = attributes.map(
    (a) =>
      `  ${literal([a.objectType, a.name, a.datatype, a.xUnit, a.yUnit, a.isInput, a.isOutput, a.licenseName, a.defaultValue, a.description])},`,
  );
  const text = `// generated by scripts/generate-catalog.js from SHOP's public documentation; do not edit.
// Regenerate: node scripts/generate-catalog.js <shop-attributes.csv> <shop-commands.csv>
// ${csvCount} attribute rows from the table, ${EXTRA_ATTRIBUTES.length} added (${EXTRA_ATTRIBUTES.map((e) => `${e.object_type}.${e.attribute_name}`).join(', ')}); ${objectTypes.length} object types; ${commands.length} commands.
import type { CommandInfo, ShopDatatype } from './catalog.types.js';

/** objectType, name, datatype, xUnit, yUnit, isInput, isOutput, licenseName, defaultValue, description; null = unknown. */
export type AttributeRow = readonly [
  objectType: string,
  name: string,
  datatype: ShopDatatype | null,
  xUnit: string | null,
  yUnit: string | null,
  isInput: boolean | null,
  isOutput: boolean | null,
  licenseName: string | null,
  defaultValue: string | null,
  description: string,
];

/** Every object type, sorted; ${TYPES_WITHOUT_ATTRIBUTES.join(' and ')} have no attributes. */
export const OBJECT_TYPE_NAMES: readonly string[] = ${literal(objectTypes)};

export const ATTRIBUTE_ROWS: readonly AttributeRow[] = [
${attributeLines.join('\n')}
];

export const COMMAND_ROWS: readonly CommandInfo[] = [
${commands.map((c) => `  ${literal(c)},`).join('\n')}
];
`;
  writeFileSync(OUTPUT, text);
  console.log(
    `wrote ${OUTPUT}: ${attributes.length} attributes (${csvCount} + ${EXTRA_ATTRIBUTES.length} added), ` +
      `${objectTypes.length} object types, ${commands.length} commands`,
  );
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(`generate-catalog: ${error.message}`);
  process.exit(1);
}
