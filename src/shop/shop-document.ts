/**
 * Parsing a SHOP JSON document (any subset of `time`, `model`, `connections`, `commands`)
 * against the catalog, into validated canonical parts. Pure: what needs the stored model
 * (does a connected object exist?) is checked by the caller with `checkConnections`.
 */
import { attributeInfo, connectionAllowed, findCommand, isObjectType, type ShopDatatype } from './catalog.js';
import { APPLIED_COMMANDS } from './command-interpreter.js';
import {
  type AttributeValue,
  type Command,
  type Connection,
  type RelationDirection,
  type RelationType,
  TIME_UNITS,
  type TimeNode,
  type Txy,
} from './shop-json.js';
import { isPlainObject, parseAttributeValue, parseTimestamp, Problems, txy } from './shop-values.js';
import { childPath, FORBIDDEN_KEYS, findTextProblem, nameProblem } from './text.js';

export interface ParsedAttribute {
  objectType: string;
  objectName: string;
  attribute: string;
  datatype: ShopDatatype | null;
  value: AttributeValue;
}

export interface ShopDocument {
  time?: TimeNode;
  /** Every object the document mentions (an object may have no attributes). */
  objects: Array<{ objectType: string; objectName: string }>;
  attributes: ParsedAttribute[];
  connections: Connection[];
  commands: Command[];
}

const ROOT_NODES = ['time', 'model', 'connections', 'commands'];

const KNOWN_COMMANDS = `Tarn applies: ${APPLIED_COMMANDS.join(', ')} (other SHOP commands are accepted with a warning)`;

const RELATION_TYPES: Record<string, RelationType> = {
  default: 'default',
  standard: 'default',
  connection_standard: 'default',
  spill: 'spill',
  connection_spill: 'spill',
  bypass: 'bypass',
  connection_bypass: 'bypass',
};

const CONNECTION_KEYS = ['from', 'from_type', 'to', 'to_type', 'relation_type', 'relation_direction', 'order'];

const COMMAND_KEYS = ['command', 'options', 'values'];

/** An object name: 1 to 200 characters of plain text (no control characters), not a prototype key. */
function checkName(name: string, path: string, problems: Problems): boolean {
  if (name.length === 0 || name.length > 200 || FORBIDDEN_KEYS.has(name)) {
    problems.add(path, 'is not an allowed object name');
    return false;
  }
  const problem = nameProblem(name);
  if (problem) {
    problems.add(path, `the object name ${problem}`);
    return false;
  }
  return true;
}

export function parseTime(value: unknown, path: string, problems: Problems): TimeNode | undefined {
  if (!isPlainObject(value)) {
    problems.add(path, 'must be an object {start_time, end_time, time_unit, time_resolution?}');
    return undefined;
  }
  const before = problems.count;
  for (const key of Object.keys(value)) {
    if (!['start_time', 'end_time', 'time_unit', 'time_resolution'].includes(key)) {
      problems.add(childPath(path, key), 'is not a field of time');
    }
  }
  const start = parseTimestamp(value.start_time);
  const end = parseTimestamp(value.end_time);
  if (!start) {
    problems.add(`${path}.start_time`, `must be a timestamp (ISO 8601), got ${JSON.stringify(value.start_time)}`);
  }
  if (!end) problems.add(`${path}.end_time`, `must be a timestamp (ISO 8601), got ${JSON.stringify(value.end_time)}`);
  if (start && end && end <= start) problems.add(`${path}.end_time`, 'must be after start_time');
  const unit = value.time_unit ?? 'hour';
  if (!TIME_UNITS.includes(unit as TimeNode['time_unit'])) {
    problems.add(`${path}.time_unit`, `must be one of ${TIME_UNITS.join(', ')}, got ${JSON.stringify(unit)}`);
  }
  let resolution: Txy | undefined;
  if (value.time_resolution !== undefined) {
    resolution = txy(value.time_resolution, `${path}.time_resolution`, problems);
    if (resolution?.values.length !== 1 && resolution) {
      problems.add(`${path}.time_resolution.values`, 'must hold exactly one series of step lengths');
    } else if (resolution?.values[0].some((step) => step <= 0)) {
      problems.add(`${path}.time_resolution.values`, 'step lengths must be positive');
    }
  }
  if (problems.count !== before) return undefined;
  return {
    start_time: start!,
    end_time: end!,
    time_unit: unit as TimeNode['time_unit'],
    ...(resolution && { time_resolution: resolution }),
  };
}

function parseModel(value: unknown, problems: Problems, document: ShopDocument): void {
  if (!isPlainObject(value)) {
    problems.add('model', 'must be an object: model.<object_type>.<object_name>.<attribute>');
    return;
  }
  for (const [objectType, objects] of Object.entries(value)) {
    const typePath = childPath('model', objectType);
    if (!isObjectType(objectType)) {
      problems.add(typePath, `unknown object type "${objectType}"`);
      continue;
    }
    if (!isPlainObject(objects)) {
      problems.add(typePath, 'must be an object of named objects');
      continue;
    }
    for (const [objectName, attributes] of Object.entries(objects)) {
      const objectPath = childPath(typePath, objectName);
      if (!checkName(objectName, objectPath, problems)) continue;
      if (attributes !== null && !isPlainObject(attributes)) {
        problems.add(objectPath, 'must be an object of attributes ({} for none)');
        continue;
      }
      document.objects.push({ objectType, objectName });
      for (const [attribute, raw] of Object.entries(attributes ?? {})) {
        const path = childPath(objectPath, attribute);
        const info = attributeInfo(objectType, attribute);
        if (!info) {
          problems.add(path, `unknown attribute "${attribute}" of ${objectType}`);
          continue;
        }
        if (raw === null) continue;
        const parsed = parseAttributeValue(info.datatype, raw, path, problems);
        if (parsed !== undefined) {
          document.attributes.push({ objectType, objectName, attribute, datatype: info.datatype, value: parsed });
        }
      }
    }
  }
}

function onlyConnectionKeys(raw: Record<string, unknown>, path: string, problems: Problems): void {
  for (const key of Object.keys(raw)) {
    if (!CONNECTION_KEYS.includes(key)) {
      problems.add(childPath(path, key), `is not a field of a connection (${CONNECTION_KEYS.join(', ')})`);
    }
  }
}

/** Own entries only: `constructor` is no relation type. */
const relationTypeOf = (value: unknown): RelationType | undefined => {
  const name = String(value ?? 'default');
  return Object.hasOwn(RELATION_TYPES, name) ? RELATION_TYPES[name] : undefined;
};

function parseConnections(value: unknown, problems: Problems, document: ShopDocument): void {
  if (!Array.isArray(value)) {
    problems.add('connections', 'must be an array');
    return;
  }
  value.forEach((raw, i) => {
    const path = `connections[${i}]`;
    if (!isPlainObject(raw)) {
      problems.add(path, 'must be an object {from, from_type, to, to_type, relation_type, relation_direction}');
      return;
    }
    const before = problems.count;
    onlyConnectionKeys(raw, path, problems);
    for (const field of ['from', 'from_type', 'to', 'to_type']) {
      if (typeof raw[field] !== 'string' || raw[field] === '') {
        problems.add(`${path}.${field}`, 'must be a non-empty string');
      }
    }
    for (const field of ['from_type', 'to_type']) {
      if (typeof raw[field] === 'string' && raw[field] !== '' && !isObjectType(raw[field] as string)) {
        problems.add(`${path}.${field}`, `unknown object type "${raw[field]}"`);
      }
    }
    const relationType = relationTypeOf(raw.relation_type);
    if (!relationType) {
      problems.add(
        `${path}.relation_type`,
        `must be default, spill or bypass, got ${JSON.stringify(raw.relation_type)}`,
      );
    }
    const direction = (raw.relation_direction ?? 'both') as RelationDirection;
    if (!['both', 'input', 'output'].includes(direction)) {
      problems.add(
        `${path}.relation_direction`,
        `must be both, input or output, got ${JSON.stringify(raw.relation_direction)}`,
      );
    }
    if (
      raw.order !== undefined &&
      (typeof raw.order !== 'number' || !Number.isSafeInteger(raw.order) || raw.order < 0)
    ) {
      problems.add(`${path}.order`, 'must be a non-negative integer');
    }
    if (problems.count !== before) return;
    const connection: Connection = {
      from: raw.from as string,
      from_type: raw.from_type as string,
      to: raw.to as string,
      to_type: raw.to_type as string,
      relation_type: relationType!,
      relation_direction: direction,
      ...(raw.order !== undefined && { order: raw.order as number }),
    };
    if (!connectionAllowed(connection.from_type, connection.to_type)) {
      problems.add(path, `a ${connection.from_type} cannot be connected to a ${connection.to_type}`);
      return;
    }
    document.connections.push(connection);
  });
}

/** `"start sim 5"`, `"set code /full"` or `{command, options, values}`; the command must exist. */
export function parseCommand(raw: unknown, path: string, problems: Problems): Command | undefined {
  let words: { command: string; options: string[]; values: string[] } | undefined;
  if (typeof raw === 'string') {
    const tokens = raw.trim().split(/\s+/).filter(Boolean);
    for (let n = Math.min(3, tokens.length); n >= 1 && !words; n--) {
      const name = findCommand(tokens.slice(0, n).join(' '))?.name;
      if (name) {
        const rest = tokens.slice(n);
        words = {
          command: name,
          options: rest.filter((t) => t.startsWith('/')).map((t) => t.slice(1)),
          values: rest.filter((t) => !t.startsWith('/')),
        };
      }
    }
    if (!words) problems.add(path, `unknown command ${JSON.stringify(raw)}; ${KNOWN_COMMANDS}`);
    return words;
  }
  if (!isPlainObject(raw) || typeof raw.command !== 'string') {
    problems.add(path, 'must be a command string or {command, options, values}');
    return undefined;
  }
  const unknown = Object.keys(raw).filter((key) => !COMMAND_KEYS.includes(key));
  unknown.forEach((key) =>
    problems.add(childPath(path, key), 'is not a field of a command (command, options, values)'),
  );
  if (unknown.length) return undefined;
  const name = findCommand(raw.command.trim())?.name;
  if (!name) {
    problems.add(`${path}.command`, `unknown command ${JSON.stringify(raw.command)}; ${KNOWN_COMMANDS}`);
    return undefined;
  }
  const strings = (value: unknown, field: string): string[] | undefined => {
    if (value === undefined) return [];
    if (
      Array.isArray(value) &&
      value.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
    ) {
      return value.map((v) => String(v).replace(field === 'options' ? /^\// : /$^/, ''));
    }
    problems.add(`${path}.${field}`, 'must be an array of strings');
    return undefined;
  };
  const options = strings(raw.options, 'options');
  const values = strings(raw.values, 'values');
  return options && values ? { command: name, options, values } : undefined;
}

/**
 * Parses a whole document. Returns the parts, or the problems: `syntax` problems (malformed
 * commands, answered 400) apart from `model` problems (answered 422). Text that cannot be stored
 * (NUL, an unpaired surrogate, a control character) or a prototype key anywhere in the document
 * is a model problem found before anything else is read (see text.ts).
 */
export function parseShopDocument(body: unknown): {
  document?: ShopDocument;
  problems: Problems;
  commandProblems: Problems;
} {
  const problems = new Problems();
  const commandProblems = new Problems();
  if (!isPlainObject(body)) {
    problems.add('', 'the body must be a SHOP JSON object with time, model, connections and/or commands');
    return { problems, commandProblems };
  }
  const textProblem = findTextProblem(body);
  if (textProblem) {
    problems.add(textProblem.path, textProblem.message);
    return { problems, commandProblems };
  }
  for (const key of Object.keys(body)) {
    if (!ROOT_NODES.includes(key)) {
      problems.add(childPath('', key), `is not a root node (${ROOT_NODES.join(', ')})`);
    }
  }
  const document: ShopDocument = { objects: [], attributes: [], connections: [], commands: [] };
  if (body.time !== undefined) document.time = parseTime(body.time, 'time', problems);
  if (body.model !== undefined) parseModel(body.model, problems, document);
  if (body.connections !== undefined) parseConnections(body.connections, problems, document);
  if (body.commands !== undefined) {
    if (!Array.isArray(body.commands)) commandProblems.add('commands', 'must be an array');
    else {
      body.commands.forEach((raw, i) => {
        const command = parseCommand(raw, `commands[${i}]`, commandProblems);
        if (command) document.commands.push(command);
      });
    }
  }
  return { document: problems.count || commandProblems.count ? undefined : document, problems, commandProblems };
}

/** Every connection must join objects that exist (stored or in the same document). */
export function checkConnections(
  connections: Connection[],
  exists: (objectType: string, objectName: string) => boolean,
  problems: Problems,
): void {
  connections.forEach((c, i) => {
    if (!exists(c.from_type, c.from)) {
      problems.add(`connections[${i}].from`, `no ${c.from_type} named "${c.from}" in the model`);
    }
    if (!exists(c.to_type, c.to)) problems.add(`connections[${i}].to`, `no ${c.to_type} named "${c.to}" in the model`);
  });
}
