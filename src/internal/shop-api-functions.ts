/**
 * The SHOP API functions Tarn serves at `/internal/<Name>` (pyshop-compat.md §4): their
 * parameters and the reading of a call's `{args, kwargs}` body. Pure; what each function does
 * is ShopApiService's.
 */
import { BadRequestException } from '@nestjs/common';
import { findTextProblem } from '../shop/text.js';

export type ParamType = 'str' | 'int' | 'num' | 'bool' | 'str[]' | 'num[]' | 'int[]' | 'rows' | 'str[][]';

export interface ParamSpec {
  name: string;
  type: ParamType;
  /** Absent from the call: this value (or undefined when the parameter is optional without one). */
  optional?: boolean;
  default?: unknown;
}

export interface FunctionSpec {
  params: readonly ParamSpec[];
  /** Works on a session's model (the session-id header is needed). */
  session: boolean;
  /** The answer, for the API docs. */
  answer: string;
  /** B: needed by a basic pyshop script (§5); R: the rest. */
  tier: 'B' | 'R';
}

const p = (name: string, type: ParamType, extra: Partial<ParamSpec> = {}): ParamSpec => ({ name, type, ...extra });
const opt = (name: string, type: ParamType, value?: unknown): ParamSpec =>
  p(name, type, { optional: true, default: value });

const T = p('object_type', 'str');
const N = p('object_name', 'str');
const A = p('attribute_name', 'str');
const TNA = [T, N, A] as const;

const fn = (tier: FunctionSpec['tier'], answer: string, params: ParamSpec[] = [], session = true): FunctionSpec => ({
  params,
  session,
  answer,
  tier,
});

/** Every function, by SHOP's name. */
export const SHOP_API_FUNCTIONS = {
  // §4.1 catalogue, objects, session set-up
  GetObjectTypeNames: fn('B', 'str[]: every object type', [], false),
  GetObjectInfo: fn('B', 'str: "True"/"False" for isInput, isOutput', [T, p('key', 'str')], false),
  GetValidObjectInfoKeys: fn('R', 'str[]', [], false),
  GetObjectTypeAttributeNames: fn('B', 'str[]: attributes with a known datatype', [T], false),
  GetObjectTypeAttributeDatatypes: fn('B', 'str[], parallel to the names', [T], false),
  GetCommandTypesInSystem: fn('B', 'str[]: every SHOP command, lower case', [], false),
  GetObjectNamesInSystem: fn('B', "str[]: the session's objects"),
  GetObjectTypesInSystem: fn('B', 'str[]: their types, parallel'),
  UpdateNeeded: fn('B', 'bool: objects were added since the last listing'),
  AddObject: fn('B', 'bool', [T, N]),
  // §4.2 time
  SetTimeResolution: fn('B', 'bool', [
    p('start', 'str'),
    p('end', 'str'),
    p('unit', 'str'),
    opt('t', 'int[]'),
    opt('y', 'rows'),
  ]),
  GetStartTime: fn('B', 'str: YYYYMMDDHHMMSS, "" without time'),
  GetEndTime: fn('B', 'str: YYYYMMDDHHMMSS, "" without time'),
  GetTimeUnit: fn('B', 'str: hour, minute, second; "" without time'),
  GetTimeResolutionT: fn('B', 'int[]: offsets where the step length changes'),
  GetTimeResolutionY: fn('B', 'num[]: the step lengths from there'),
  SetTimeZone: fn('B', 'bool', [p('name', 'str')]),
  GetTimeZone: fn('B', 'str, "" when none'),
  // §4.3 attribute values
  GetIntValue: fn('B', 'int', [...TNA]),
  SetIntValue: fn('B', 'bool', [...TNA, p('value', 'int')]),
  GetDoubleValue: fn('B', 'num', [...TNA]),
  SetDoubleValue: fn('B', 'bool', [...TNA, p('value', 'num')]),
  GetStringValue: fn('B', 'str', [...TNA]),
  SetStringValue: fn('B', 'bool', [...TNA, p('value', 'str')]),
  GetIntArray: fn('B', 'int[]', [...TNA]),
  SetIntArray: fn('B', 'bool', [...TNA, p('value', 'int[]')]),
  GetDoubleArray: fn('B', 'num[]', [...TNA]),
  SetDoubleArray: fn('B', 'bool', [...TNA, p('value', 'num[]')]),
  GetStringArray: fn('B', 'str[]', [...TNA]),
  SetStringArray: fn('B', 'bool', [...TNA, p('value', 'str[]')]),
  SetXyCurve: fn('B', 'bool', [...TNA, p('ref', 'num'), p('x', 'num[]'), p('y', 'num[]')]),
  GetXyCurveReference: fn('B', 'num', [...TNA]),
  GetXyCurveX: fn('B', 'num[]', [...TNA]),
  GetXyCurveY: fn('B', 'num[]', [...TNA]),
  SetXyCurveArray: fn('B', 'bool', [...TNA, p('refs', 'num[]'), p('n', 'int[]'), p('x', 'num[]'), p('y', 'num[]')]),
  GetXyCurveArrayReferences: fn('B', 'num[]', [...TNA]),
  GetXyCurveArrayNPoints: fn('B', 'int[]', [...TNA]),
  GetXyCurveArrayX: fn('B', 'num[]: the points of all curves, concatenated', [...TNA]),
  GetXyCurveArrayY: fn('B', 'num[]: the points of all curves, concatenated', [...TNA]),
  SetTxySeries: fn('B', 'bool', [...TNA, p('start', 'str'), p('t', 'int[]'), p('y', 'rows')]),
  GetTxySeriesStartTime: fn('B', 'str: the first point, "" when unset', [...TNA]),
  GetTxySeriesT: fn('B', 'int[]: offsets of the points from that start', [...TNA]),
  GetTxySeriesY: fn('B', 'num[], or num[][] rows of scenario values', [...TNA]),
  GetTxySeriesTimeUnit: fn('R', "str: the session's time unit", [...TNA]),
  SetSyCurve: fn('R', 'bool', [...TNA, p('s', 'str[]'), p('y', 'num[]')]),
  GetSyCurveS: fn('R', 'str[]', [...TNA]),
  GetSyCurveY: fn('R', 'num[]', [...TNA]),
  SetXyTCurve: fn('R', 'bool', [...TNA, p('times', 'str[]'), p('n', 'int[]'), p('x', 'num[]'), p('y', 'num[]')]),
  GetXyTCurveTimeStrings: fn('R', 'str[]: the time of each table', [...TNA]),
  GetXyTCurveTimes: fn('R', 'int[]: those times as offsets from the start', [...TNA]),
  GetXyTCurveX: fn('R', 'num[]', [...TNA, opt('start', 'str'), opt('end', 'str')]),
  GetXyTCurveY: fn('R', 'num[]', [...TNA, opt('start', 'str'), opt('end', 'str')]),
  GetXyTCurveN: fn('R', 'int[]', [...TNA, opt('start', 'str'), opt('end', 'str')]),
  AttributeIsDefault: fn('R', 'bool: nothing is stored', [...TNA]),
  // §4.4 relations
  GetDefaultRelationType: fn('B', 'str: connection_standard, or "" when not allowed', [
    p('from_type', 'str'),
    p('to_type', 'str'),
  ]),
  AddRelation: fn('B', 'bool', [
    p('from_type', 'str'),
    p('from_name', 'str'),
    p('relation_type', 'str'),
    p('to_type', 'str'),
    p('to_name', 'str'),
  ]),
  GetRelations: fn('B', 'int[]: indices of the objects connected to', [T, N, p('relation_type', 'str')]),
  GetInputRelations: fn('R', 'int[]: indices of the objects connected from', [T, N, p('relation_type', 'str')]),
  GetValidRelationTypes: fn('R', 'str[]', [T], false),
  GetRelationInfo: fn(
    'R',
    'str: physical or logical',
    [p('from_type', 'str'), p('to_type', 'str'), p('key', 'str')],
    false,
  ),
  // §4.5 commands
  ExecuteCommand: fn('B', 'bool: the command ran (a start sim has solved)', [
    p('command', 'str'),
    opt('options', 'str[]', []),
    opt('values', 'str[]', []),
  ]),
  ExecuteCommandList: fn('R', 'bool: all ran; stops at the first failure', [
    p('commands', 'str[]'),
    opt('options', 'str[][]', []),
    opt('values', 'str[][]', []),
  ]),
  GetExecutedCommands: fn('R', 'str[]: as SHOP text'),
  // §4.6 messages
  GetMessages: fn('B', 'str: a JSON text of the log messages not returned before'),
  GetAllMessages: fn('R', '[code, type, text, call_count][]: [] (Tarn has no message codes)', [], false),
  // §4.7 YAML, files, version, licences
  ReadYamlString: fn('B', 'bool: the YAML was merged and its commands ran', [p('yaml', 'str')]),
  DumpYamlString: fn('B', 'str: the model as SHOP YAML', [
    opt('input_only', 'bool', true),
    opt('compress_txy', 'bool', true),
    opt('compress_connection', 'bool', true),
  ]),
  DumpYamlCase: fn('R', "false: Tarn writes no files on a client's word; use DumpYamlString", [
    p('path', 'str'),
    opt('input_only', 'bool', true),
    opt('compress_txy', 'bool', true),
    opt('compress_connection', 'bool', true),
  ]),
  ReadShopAsciiFile: fn('R', "false: Tarn reads no files on a client's word; use ReadYamlString", [p('path', 'str')]),
  OverrideDllPath: fn('R', 'true (ignored)', [opt('path', 'str')], false),
  GetVersionString: fn('B', 'str: "<SHOP API level> Tarn <version> ..."', [], false),
  GetLicenseInfo: fn('B', 'str[]: "<LICENSE>:<access>"', [], false),
  GetValidAttributeInfoKeys: fn('R', 'str[]', [], false),
  GetAttributeInfo: fn('R', 'str', [T, A, p('key', 'str')], false),
} as const satisfies Record<string, FunctionSpec>;

export type ShopApiFunctionName = keyof typeof SHOP_API_FUNCTIONS;

/** What `GET /internal` lists: every function served, sorted. */
export const SHOP_API_FUNCTION_NAMES: readonly ShopApiFunctionName[] = Object.freeze(
  (Object.keys(SHOP_API_FUNCTIONS) as ShopApiFunctionName[]).sort(),
);

export function isShopApiFunction(name: string): name is ShopApiFunctionName {
  return Object.prototype.hasOwnProperty.call(SHOP_API_FUNCTIONS, name);
}

/** A parameter's value, typed by its spec. */
export type ArgValue = string | number | boolean | string[] | number[] | Array<number | number[]> | string[][];

const describe = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value;

const isNumber = (v: unknown): v is number => typeof v === 'number';
const isInteger = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);
const isString = (v: unknown): v is string => typeof v === 'string';

const CHECKS: Record<ParamType, { test: (value: unknown) => boolean; expected: string }> = {
  str: { test: isString, expected: 'a string' },
  int: { test: isInteger, expected: 'a whole number' },
  num: { test: isNumber, expected: 'a number' },
  bool: { test: (v) => typeof v === 'boolean', expected: 'true or false' },
  'str[]': { test: (v) => Array.isArray(v) && v.every(isString), expected: 'an array of strings' },
  'num[]': { test: (v) => Array.isArray(v) && v.every(isNumber), expected: 'an array of numbers' },
  'int[]': { test: (v) => Array.isArray(v) && v.every(isInteger), expected: 'an array of whole numbers' },
  rows: {
    test: (v) => Array.isArray(v) && v.every((row) => isNumber(row) || (Array.isArray(row) && row.every(isNumber))),
    expected: 'an array of numbers, or of rows of numbers',
  },
  'str[][]': {
    test: (v) => Array.isArray(v) && v.every((row) => Array.isArray(row) && row.every(isString)),
    expected: 'an array of arrays of strings',
  },
};

const invalid = (path: string, message: string) =>
  new BadRequestException({ message: `${path} ${message}`, details: [{ path, message }] });

/**
 * Reads a call's body `{"args": [...], "kwargs": {...}}` (both optional) against the function's
 * parameters: positional first, then named. A wrong count, name or type is a 400 whose details
 * point at `args[i]` or `kwargs.<name>`.
 */
export function readArguments(name: ShopApiFunctionName, body: unknown): Array<ArgValue | undefined> {
  const { params } = SHOP_API_FUNCTIONS[name] as FunctionSpec;
  const signature = `${name}(${params.map((param) => param.name).join(', ')})`;
  if (body === undefined || body === null || (typeof body === 'string' && body.trim() === '')) body = {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('body', `must be an object {"args": [...], "kwargs": {...}}, got ${describe(body)}`);
  }
  const fields = body as Record<string, unknown>;
  const extra = Object.keys(fields).find((key) => key !== 'args' && key !== 'kwargs');
  if (extra !== undefined) throw invalid(extra, 'is not a field of this body (args, kwargs)');
  const args = fields.args ?? [];
  const kwargs = fields.kwargs ?? {};
  if (!Array.isArray(args)) throw invalid('args', `must be an array, got ${describe(args)}`);
  if (typeof kwargs !== 'object' || kwargs === null || Array.isArray(kwargs)) {
    throw invalid('kwargs', `must be an object, got ${describe(kwargs)}`);
  }
  if (args.length > params.length) {
    throw invalid('args', `has ${args.length} items; ${signature} takes at most ${params.length}`);
  }
  const named = kwargs as Record<string, unknown>;
  for (const key of Object.keys(named)) {
    const index = params.findIndex((param) => param.name === key);
    if (index < 0) throw invalid(`kwargs.${key}`, `is not a parameter of ${signature}`);
    if (index < args.length) throw invalid(`kwargs.${key}`, `is given twice, also as args[${index}]`);
  }
  return params.map((param, i) => {
    const fromArgs = i < args.length;
    const path = fromArgs ? `args[${i}]` : `kwargs.${param.name}`;
    const value = fromArgs ? args[i] : named[param.name];
    if (value === undefined) {
      if (param.optional) return param.default as ArgValue | undefined;
      throw invalid(path, `(${param.name}) is missing: ${signature}`);
    }
    const check = CHECKS[param.type];
    if (!check.test(value)) throw invalid(path, `(${param.name}) must be ${check.expected}, got ${describe(value)}`);
    return value as ArgValue;
  });
}

/**
 * Why an argument holds text Tarn cannot store (src/shop/text.ts), named by its parameter
 * (`object_name contains NUL ...`), or undefined. The call is then a model failure
 * (pyshop-compat.md §2), as an unknown name would be; the message quotes no character of it.
 */
export function argumentTextProblem(name: ShopApiFunctionName, args: ReadonlyArray<unknown>): string | undefined {
  const { params } = SHOP_API_FUNCTIONS[name] as FunctionSpec;
  for (let i = 0; i < args.length; i++) {
    const problem = findTextProblem(args[i], params[i]?.name ?? `args[${i}]`);
    if (problem) return `${problem.path} ${problem.message}`;
  }
  return undefined;
}
