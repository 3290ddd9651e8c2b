/**
 * The SHOP YAML standard (shop-json.md §7) and SHOP JSON, both ways. Pure functions.
 *
 * Reading: YAML 1.2 core schema only (timestamps stay strings, `.inf` is Infinity so that the
 * validator rejects it), no tags of any kind, unique keys, string keys, at most 100 aliases.
 * The result is a SHOP JSON document for parseShopDocument, which does all the validation;
 * only what cannot be expressed in SHOP JSON at all (bad YAML, a connection whose object types
 * cannot be inferred) is refused here.
 */
import {
  CST,
  type DocumentOptions,
  Lexer,
  parseDocument,
  type ParseOptions,
  Scalar,
  type SchemaOptions,
  stringify,
  type YAMLError,
} from 'yaml';
import { attributeInfo } from './catalog.js';
import { type Txy, type Xy, type Xyt } from './shop-json.js';
import { compressTxy, isPlainObject, parseTimestamp } from './shop-values.js';
import { textProblem } from './text.js';

/** Text that is not a YAML document Tarn reads: bad syntax, a tag, a duplicate key, an alias bomb. */
export class YamlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'YamlSyntaxError';
  }
}

/** A connection whose `from_type`/`to_type` is missing and cannot be inferred from the object names. */
export class YamlConnectionError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'YamlConnectionError';
  }
}

/** Object names per object type that exist besides the document's own (e.g. the session's stored model). */
export type KnownObjects = ReadonlyMap<string, readonly string[]>;

type Json = Record<string, unknown>;

/** Sets a property even when the key is `__proto__` (the validator then rejects such names). */
function put(target: Json, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const MAX_ALIASES = 100;

const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.2',
  schema: 'core',
  customTags: [],
  resolveKnownTags: false,
  uniqueKeys: true,
  stringKeys: true,
  merge: false,
  prettyErrors: true,
};

function syntaxError(error: YAMLError): YamlSyntaxError {
  const position = error.linePos?.[0];
  // With prettyErrors the message carries " at line L, column C:" and a code excerpt.
  const text = error.message.split(/ at line \d+, column \d+/)[0].trim();
  const where = position ? ` at line ${position.line}, column ${position.col}` : '';
  const message =
    error.code === 'TAG_RESOLVE_FAILED'
      ? `YAML tags are not accepted (${text.replace(/^Unresolved tag: /, '')})${where}`
      : `Malformed YAML${where}: ${text}`;
  return new YamlSyntaxError(message, position?.line, position?.col);
}

/** SHOP YAML nests about 8 levels deep; far below where the (recursive) YAML parser runs out of stack. */
export const MAX_NESTING = 64;

const NOT_CONTENT = new Set(['byte-order-mark', 'doc-mode', 'directive-line', 'doc-start', 'doc-end', 'comment']);

/**
 * Refuses text nested deeper than MAX_NESTING before the parser sees it: the parser recurses per
 * level, and near the end of the stack V8 can abort the whole process instead of throwing. The
 * (iterative) lexer's tokens give an estimate of the depth: the block indentation levels open on
 * a line, its compact `-`/`?` indicators, and the open flow collections.
 */
function checkNesting(text: string): void {
  const indents: number[] = [];
  let flow = 0;
  let line = 1;
  let lineStart = true;
  let indent = 0;
  let compact = 0;
  let scalarNext = false;
  const newLine = () => {
    lineStart = true;
    indent = 0;
    compact = 0;
  };
  for (const token of new Lexer().lex(text)) {
    const newlines = token.split('\n').length - 1;
    line += newlines;
    if (scalarNext) {
      // A scalar's source (a block scalar's may span lines): never structure.
      scalarNext = false;
      if (token.endsWith('\n')) newLine();
      continue;
    }
    const type = CST.tokenType(token);
    if (type === 'newline') {
      newLine();
      continue;
    }
    if (type === 'space') {
      if (lineStart) indent = token.length;
      continue;
    }
    if (type && NOT_CONTENT.has(type)) continue;
    if (type === 'scalar') scalarNext = true;
    if (lineStart) {
      lineStart = false;
      if (flow === 0) {
        while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
      }
    }
    if (type === 'flow-map-start' || type === 'flow-seq-start') flow++;
    else if (type === 'flow-map-end' || type === 'flow-seq-end') flow = Math.max(0, flow - 1);
    else if (flow === 0 && (type === 'seq-item-ind' || type === 'explicit-key-ind')) compact++;
    if (indents.length + compact + flow > MAX_NESTING) {
      throw new YamlSyntaxError(`Malformed YAML at line ${line}: nested more than ${MAX_NESTING} levels deep`, line);
    }
    if (newlines && token.endsWith('\n')) newLine();
  }
}

/** Parses YAML text into plain data: one document, core schema, no tags, bounded depth and aliases. */
export function parseYaml(text: string): unknown {
  checkNesting(text);
  const document = parseDocument(text, PARSE_OPTIONS);
  // Warnings too (unresolved tags, unknown directives): refused rather than guessed around.
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) throw syntaxError(problem);
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new YamlSyntaxError(`Malformed YAML: more than ${MAX_ALIASES} alias expansions (an alias bomb?)`);
    }
    throw new YamlSyntaxError(`Malformed YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (hasCycle(data)) {
    throw new YamlSyntaxError('Malformed YAML: an alias refers to a node that contains it (a cycle)');
  }
  return data;
}

/**
 * Whether a node contains itself (`a: &x [*x]` makes such data): what reads a document walks it
 * to the end, so a cycle would be a walk without end. Iterative, so no nesting overflows the stack.
 */
function hasCycle(root: unknown): boolean {
  if (typeof root !== 'object' || root === null) return false;
  const onPath = new Set<object>([root]);
  const stack = [{ node: root, children: Object.values(root) as unknown[], next: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.next === top.children.length) {
      onPath.delete(top.node);
      stack.pop();
      continue;
    }
    const child = top.children[top.next++];
    if (typeof child !== 'object' || child === null) continue;
    if (onPath.has(child)) return true;
    onPath.add(child);
    stack.push({ node: child, children: Object.values(child), next: 0 });
  }
  return false;
}

// --- YAML -> SHOP JSON -------------------------------------------------------------------------

const TIME_KEYS: Readonly<Record<string, string>> = {
  starttime: 'start_time',
  endtime: 'end_time',
  timeunit: 'time_unit',
  timeresolution: 'time_resolution',
};

const CONNECTION_TYPES: Readonly<Record<string, string>> = {
  connection_standard: 'default',
  connection_spill: 'spill',
  connection_bypass: 'bypass',
};

/** A timestamp in SHOP JSON form when it is one; anything else as given, for the validator to name. */
const jsonTimestamp = (value: unknown) => parseTimestamp(value) ?? value;

const isScenarioHeader = (key: string) => key.replace(/\s+/g, '').toLowerCase() === 'scenario#';

/** One scenario value of a stochastic row: a number when it reads as one, else the text (rejected later). */
function scenarioValue(token: string): number | string {
  const value = Number(token);
  return token !== '' && !Number.isNaN(value) ? value : token;
}

/**
 * A txy in YAML: `{timestamp: number}`, or the stochastic form whose first key is
 * "Scenario #" and whose values are whitespace-separated numbers, one per scenario.
 * A number (a constant) and the JSON form `{timestamps, values}` pass unchanged.
 */
export function txyFromYaml(value: unknown): unknown {
  if (!isPlainObject(value) || 'timestamps' in value || 'values' in value) return value;
  const entries = Object.entries(value);
  if (entries.length && isScenarioHeader(entries[0][0])) {
    const header = entries[0][1];
    const rows = entries
      .slice(1)
      .map(([, row]) => (typeof row === 'string' ? row.trim().split(/\s+/).filter(Boolean).map(scenarioValue) : [row]));
    const declared = typeof header === 'string' ? header.trim().split(/\s+/).filter(Boolean).length : 0;
    const scenarios = declared || Math.max(1, ...rows.map((row) => row.length));
    return {
      timestamps: entries.slice(1).map(([time]) => jsonTimestamp(time)),
      values: Array.from({ length: scenarios }, (_, s) => rows.map((row) => row[s])),
    };
  }
  return { timestamps: entries.map(([time]) => jsonTimestamp(time)), values: [entries.map(([, v]) => v)] };
}

function timeFromYaml(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const time: Json = {};
  for (const [key, raw] of Object.entries(value)) {
    const name = TIME_KEYS[key] ?? key;
    if (name === 'start_time' || name === 'end_time') put(time, name, jsonTimestamp(raw));
    else if (name === 'time_resolution') put(time, name, txyFromYaml(raw));
    else put(time, name, raw);
  }
  return time;
}

function modelFromYaml(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const model: Json = {};
  for (const [objectType, objects] of Object.entries(value)) {
    if (!isPlainObject(objects)) {
      put(model, objectType, objects);
      continue;
    }
    const converted: Json = {};
    for (const [objectName, attributes] of Object.entries(objects)) {
      if (!isPlainObject(attributes)) {
        put(converted, objectName, attributes);
        continue;
      }
      const out: Json = {};
      for (const [attribute, raw] of Object.entries(attributes)) {
        const datatype = attributeInfo(objectType, attribute)?.datatype;
        put(out, attribute, datatype === 'txy' ? txyFromYaml(raw) : raw);
      }
      put(converted, objectName, out);
    }
    put(model, objectType, converted);
  }
  return model;
}

/** Object types per object name, from the document's model section and the known objects. */
function typesByName(model: unknown, known?: KnownObjects): Map<string, Set<string>> {
  const types = new Map<string, Set<string>>();
  const add = (type: string, name: string) => {
    if (!types.has(name)) types.set(name, new Set());
    types.get(name)!.add(type);
  };
  if (isPlainObject(model)) {
    for (const [type, objects] of Object.entries(model)) {
      if (isPlainObject(objects)) for (const name of Object.keys(objects)) add(type, name);
    }
  }
  for (const [type, names] of known ?? []) for (const name of names) add(type, name);
  return types;
}

function connectionsFromYaml(value: unknown, model: unknown, known?: KnownObjects): unknown {
  if (!Array.isArray(value)) return value;
  const types = typesByName(model, known);
  return value.map((raw, i) => {
    if (!isPlainObject(raw)) return raw;
    const connection: Json = {};
    // SHOP reads object names as text: `to: 1` names the object "1".
    const name = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v);
    for (const [key, v] of Object.entries(raw)) {
      if (key === 'connection_type') put(connection, 'relation_type', CONNECTION_TYPES[String(v)] ?? v);
      else put(connection, key, key === 'from' || key === 'to' ? name(v) : v);
    }
    for (const end of ['from', 'to'] as const) {
      const typeKey = `${end}_type`;
      const objectName = connection[end];
      // A name that is not acceptable text is named by parseShopDocument, not guessed about here.
      if (connection[typeKey] !== undefined || typeof objectName !== 'string' || textProblem(objectName)) continue;
      const candidates = [...(types.get(objectName) ?? [])];
      if (candidates.length === 1) {
        put(connection, typeKey, candidates[0]);
      } else {
        throw new YamlConnectionError(
          `connections[${i}].${typeKey}`,
          candidates.length === 0
            ? `no object named "${objectName}" in the model, so its type cannot be inferred; give ${typeKey}`
            : `"${objectName}" names objects of several types (${candidates.sort().join(', ')}); give ${typeKey}`,
        );
      }
    }
    connection.relation_type ??= 'default';
    connection.relation_direction ??= 'both';
    return connection;
  });
}

/**
 * Converts a SHOP YAML document into the SHOP JSON document that parseShopDocument reads.
 * `known` adds objects that exist outside the document (the session's stored model), for
 * inferring connection object types. Throws YamlSyntaxError and YamlConnectionError.
 */
export function yamlToShopJson(text: string, known?: KnownObjects): unknown {
  const data = parseYaml(text);
  if (!isPlainObject(data)) return data;
  const document: Json = {};
  for (const [key, value] of Object.entries(data)) {
    switch (key) {
      case 'time':
        put(document, key, timeFromYaml(value));
        break;
      case 'model':
        put(document, key, modelFromYaml(value));
        break;
      case 'connections':
        put(document, key, connectionsFromYaml(value, data.model, known));
        break;
      default:
        // commands stay a list of strings ("start sim 3"); parseCommand reads them.
        put(document, key, value);
    }
  }
  return document;
}

// --- SHOP JSON -> YAML ---------------------------------------------------------------------------

export interface YamlDumpOptions {
  /** Drop consecutive repeated series values (shop-json.md §8). */
  compressTxy: boolean;
  /** Connections as `from`/`to` (+ `connection_type` when not standard, `order` when set). */
  compressConnections: boolean;
}

export interface ShopJsonConnection {
  from: string;
  from_type: string;
  to: string;
  to_type: string;
  relation_type?: string;
  relation_direction?: string;
  order?: number;
}

/** A SHOP JSON document as Tarn answers it (GET /model). */
export interface ShopJsonInput {
  time?: { start_time: string; end_time: string; time_unit: string; time_resolution?: Txy };
  model: Record<string, Record<string, Record<string, unknown>>>;
  connections?: ShopJsonConnection[];
  commands?: unknown[];
}

const RELATION_TO_CONNECTION_TYPE: Readonly<Record<string, string>> = {
  default: 'connection_standard',
  standard: 'connection_standard',
  connection_standard: 'connection_standard',
  spill: 'connection_spill',
  connection_spill: 'connection_spill',
  bypass: 'connection_bypass',
  connection_bypass: 'connection_bypass',
};

/** `2018-01-23T00:00:00Z` -> `2018-01-23 00:00:00` (SHOP YAML); anything else as given. */
export function yamlTimestamp(value: string): string {
  const canonical = parseTimestamp(value);
  return canonical ? canonical.slice(0, 19).replace('T', ' ') : value;
}

/** Strings that a YAML 1.1 reader (SHOP's, pyshop's) would take for a boolean or null: quoted. */
const YAML_11_WORDS = /^(?:y|n|yes|no|on|off|~)$/i;

/** A string as a YAML scalar, quoted when a YAML 1.1 reader would misread it. */
function text(value: string): string | Scalar<string> {
  if (!YAML_11_WORDS.test(value)) return value;
  const scalar = new Scalar(value);
  scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}

const isTxy = (value: unknown): value is Txy => isPlainObject(value) && Array.isArray(value.values);

function txyToYaml(series: Txy, compress: boolean): unknown {
  if (!series.timestamps) {
    // A constant without timestamps (no time node yet): a bare number, or the JSON form.
    return series.values.length === 1 && series.values[0].length === 1 ? series.values[0][0] : series;
  }
  const { timestamps, values } = compress ? compressTxy(series) : series;
  const keys = timestamps!.map(yamlTimestamp);
  if (values.length === 1) return new Map(keys.map((key, t) => [key, values[0][t]]));
  // Stochastic: a header row, then one row of whitespace-separated values per timestamp.
  const header = values.map((_, s) => String(s + 1));
  const rows = keys.map((_, t) => values.map((scenario) => String(scenario[t])));
  const width = Math.max(...header.map((h) => h.length), ...rows.flat().map((v) => v.length));
  const line = (cells: string[]) => cells.map((cell) => cell.padStart(width)).join(' ');
  const map = new Map<string, string>([['Scenario #'.padStart(keys[0]?.length ?? 19), line(header)]]);
  keys.forEach((key, t) => map.set(key, line(rows[t])));
  return map;
}

const xyToYaml = (table: Xy) =>
  new Map<string, unknown>([
    ['ref', table.ref],
    ['x', table.x],
    ['y', table.y],
  ]);

function valueToYaml(objectType: string, attribute: string, value: unknown, options: YamlDumpOptions): unknown {
  const datatype = attributeInfo(objectType, attribute)?.datatype;
  if (datatype === 'txy' && isTxy(value)) return txyToYaml(value, options.compressTxy);
  if (datatype === 'xy' && isPlainObject(value) && Array.isArray(value.x)) return xyToYaml(value as unknown as Xy);
  if (datatype === 'xy_array' && Array.isArray(value)) {
    return value.map((table) =>
      isPlainObject(table) && Array.isArray(table.x) ? xyToYaml(table as unknown as Xy) : table,
    );
  }
  if (
    datatype === 'xyt' &&
    Array.isArray(value) &&
    value.every((t) => isPlainObject(t) && typeof t.time === 'string')
  ) {
    return new Map((value as Xyt[]).map((table) => [yamlTimestamp(table.time), xyToYaml(table)]));
  }
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? text(v) : v));
  return value;
}

function connectionToYaml(
  connection: ShopJsonConnection,
  types: Map<string, Set<string>>,
  compress: boolean,
): Map<string, unknown> {
  const connectionType = RELATION_TO_CONNECTION_TYPE[connection.relation_type ?? 'default'] ?? connection.relation_type;
  // Compressed: a type only where the name alone does not tell it (SHOP's compress_connection).
  const needsType = (name: string, type: string) => {
    const candidates = types.get(name);
    return !compress || !candidates || candidates.size !== 1 || !candidates.has(type);
  };
  const out = new Map<string, unknown>([
    ['from', text(connection.from)],
    ['to', text(connection.to)],
  ]);
  if (needsType(connection.from, connection.from_type)) out.set('from_type', connection.from_type);
  if (needsType(connection.to, connection.to_type)) out.set('to_type', connection.to_type);
  if (!compress || connectionType !== 'connection_standard') out.set('connection_type', connectionType);
  if (connection.order !== undefined && connection.order !== null) out.set('order', connection.order);
  return out;
}

function commandToYaml(command: unknown): unknown {
  if (!isPlainObject(command) || typeof command.command !== 'string') return command;
  const words = [
    command.command,
    ...(Array.isArray(command.options) ? command.options.map((o) => `/${String(o).replace(/^\//, '')}`) : []),
    ...(Array.isArray(command.values) ? command.values.map(String) : []),
  ];
  return words.join(' ');
}

/**
 * Writes a SHOP JSON document in the SHOP YAML standard: `starttime`..., txy as
 * `{timestamp: value}` maps (or the "Scenario #" form for several scenarios), timestamps as
 * `YYYY-MM-DD HH:MM:SS`, connections compressed or in full. yamlToShopJson reads it back.
 */
export function shopJsonToYaml(document: ShopJsonInput, options: YamlDumpOptions): string {
  const root = new Map<string, unknown>();
  if (document.time) {
    const { start_time, end_time, time_unit, time_resolution } = document.time;
    const time = new Map<string, unknown>([
      ['starttime', yamlTimestamp(start_time)],
      ['endtime', yamlTimestamp(end_time)],
      ['timeunit', time_unit],
    ]);
    if (time_resolution) time.set('timeresolution', txyToYaml(time_resolution, options.compressTxy));
    root.set('time', time);
  }
  const model = new Map<string | Scalar<string>, unknown>();
  for (const [objectType, objects] of Object.entries(document.model ?? {})) {
    const named = new Map<string | Scalar<string>, unknown>();
    for (const [objectName, attributes] of Object.entries(objects)) {
      const values = new Map<string, unknown>();
      for (const [attribute, value] of Object.entries(attributes ?? {})) {
        values.set(attribute, valueToYaml(objectType, attribute, value, options));
      }
      named.set(text(objectName), values);
    }
    model.set(objectType, named);
  }
  root.set('model', model);
  if (document.connections?.length) {
    const types = typesByName(document.model);
    root.set(
      'connections',
      document.connections.map((c) => connectionToYaml(c, types, options.compressConnections)),
    );
  }
  if (document.commands?.length) root.set('commands', document.commands.map(commandToYaml));
  return stringify(root, { version: '1.2', lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
}
