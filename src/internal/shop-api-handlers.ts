/**
 * What each SHOP API function does (pyshop-compat.md §4), grouped as the spec groups them. Each
 * entry has its handler and the value it answers when the model refuses the call.
 */
import { PACKAGE } from '../common/package-info.js';
import type { SessionLogService } from '../logging/session-log.service.js';
import {
  attributeInfo,
  attributesOf,
  COMMANDS,
  connectionAllowed,
  findCommand,
  isObjectType,
  OBJECT_TYPES,
  relationCategory,
  type ShopDatatype,
  verboseAttributeInfo,
} from '../shop/catalog.js';
import { APPLIED_COMMANDS, commandText } from '../shop/command-interpreter.js';
import {
  formatShopTime,
  resolutionBreakpoints,
  timeNodeFromShopApi,
  timeOffset,
  txyFromShopApi,
  txyToShopApi,
  xyArrayFromShopApi,
  xyArrayToShopApi,
  xytFromShopApi,
  xytInRange,
} from '../shop/shop-api-values.js';
import type { AttributeValue, Command, TimeNode, Txy, Xy, Xyt } from '../shop/shop-json.js';
import { shopJsonToYaml } from '../shop/shop-yaml.js';
import { licenseInfo } from './licenses.js';
import { fail, isImplicitObject, RELATION_TYPES, type SessionModel, unknownRelation } from './session-model.js';
import type { ArgValue, ShopApiFunctionName } from './shop-api-functions.js';

export type Args = ReadonlyArray<ArgValue | undefined>;

export interface Entry {
  run: (sessionId: number, args: Args) => unknown;
  /** What the function answers when the model refuses the call. */
  failure: unknown;
}

type Entries = Partial<Record<ShopApiFunctionName, Entry>>;

export interface HandlerDeps {
  model: SessionModel;
  logs: SessionLogService;
  /** The optimization provider's name, for GetVersionString. */
  solver: string;
}

/** The SHOP API level Tarn's functions follow (the release that added GetAllMessages). */
export const SHOP_API_LEVEL = '15.1.1.0';

/** The output-only type whose objects a run creates; every other type takes inputs. */
const OUTPUT_ONLY_TYPES = new Set(['objective']);

const OBJECT_INFO_KEYS = ['isInput', 'isOutput'];

/**
 * The types at either end of a spill or bypass relation (a reservoir's or creek's spill gate):
 * pyshop asks for an object's relations of the types GetValidRelationTypes lists only.
 */
const SPILL_TYPES = new Set(['reservoir', 'creek_intake', 'gate']);

const pyBool = (value: boolean) => (value ? 'True' : 'False');
const str = (args: Args, i: number) => args[i] as string;
const nums = (args: Args, i: number) => args[i] as number[];
const rows = (args: Args, i: number) => args[i] as Array<number | number[]>;
const tna = (args: Args) => [str(args, 0), str(args, 1), str(args, 2)] as const;
const optionalTime = (value: ArgValue | undefined) => (value === undefined || value === '' ? undefined : String(value));
const constant = (value: unknown): Entry => ({ run: () => value, failure: value });

/** Every function's entry. */
export function shopApiHandlers(deps: HandlerDeps): Record<ShopApiFunctionName, Entry> {
  return {
    ...catalogueFunctions(),
    ...objectFunctions(deps.model),
    ...timeFunctions(deps.model),
    ...scalarAndArrayFunctions(deps.model),
    ...curveFunctions(deps.model),
    ...seriesFunctions(deps.model),
    ...relationFunctions(deps.model),
    ...commandFunctions(deps.model),
    ...messageFunctions(deps),
    ...fileAndInfoFunctions(deps),
  } as Record<ShopApiFunctionName, Entry>;
}

/** The attributes a SHOP API client can read and write: those of a known datatype. */
const typedAttributes = (type: string) => attributesOf(type).filter((attribute) => attribute.datatype !== null);

function catalogueFunctions(): Entries {
  return {
    GetObjectTypeNames: constant([...OBJECT_TYPES]),
    GetObjectInfo: {
      run: (_, args) => {
        const [type, key] = [str(args, 0), str(args, 1)];
        if (!isObjectType(type)) return '';
        if (key === 'isInput') return pyBool(!OUTPUT_ONLY_TYPES.has(type));
        if (key === 'isOutput') return pyBool(attributesOf(type).some((a) => a.isOutput));
        return '';
      },
      failure: '',
    },
    GetValidObjectInfoKeys: constant(OBJECT_INFO_KEYS),
    GetObjectTypeAttributeNames: { run: (_, args) => typedAttributes(str(args, 0)).map((a) => a.name), failure: [] },
    GetObjectTypeAttributeDatatypes: {
      run: (_, args) => typedAttributes(str(args, 0)).map((a) => a.datatype),
      failure: [],
    },
    GetCommandTypesInSystem: constant(COMMANDS.map((command) => command.name)),
    GetValidAttributeInfoKeys: constant(Object.keys(ATTRIBUTE_INFO)),
    GetAttributeInfo: {
      run: (_, args) => {
        const info = attributeInfo(str(args, 0), str(args, 1));
        const read = ATTRIBUTE_INFO[str(args, 2)];
        return info && read ? read(verboseAttributeInfo(info)) : '';
      },
      failure: '',
    },
  };
}

type VerboseInfo = ReturnType<typeof verboseAttributeInfo>;
const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** GetAttributeInfo's keys (those restshop reads), from the verbose attribute information. */
const ATTRIBUTE_INFO: Readonly<Record<string, (info: VerboseInfo) => string>> = {
  isInput: (info) => pyBool(info.is_input !== false),
  isOutput: (info) => pyBool(info.is_output === true),
  datatype: (info) => (info.legacy_datatype === 'unknown' ? '' : info.legacy_datatype),
  xUnit: (info) => text(info.x_unit),
  yUnit: (info) => text(info.y_unit),
  licenseName: (info) => text(info.license_name),
  fullName: (info) => info.full_name,
  dataFuncName: (info) => text(info.data_func_name),
  description: (info) => info.description,
  documentationUrl: (info) => info.documentation_url,
  exampleUrlPrefix: (info) => text(info.example_url_prefix),
  example: (info) => text(info.example),
};

function objectFunctions(model: SessionModel): Entries {
  return {
    GetObjectNamesInSystem: { run: (sessionId) => model.listObjects(sessionId, 'objectName'), failure: [] },
    GetObjectTypesInSystem: { run: (sessionId) => model.listObjects(sessionId, 'objectType'), failure: [] },
    UpdateNeeded: {
      run: async (sessionId) =>
        (await model.objectCount(sessionId)) !== (await model.state.get(sessionId)).listedObjects,
      failure: true,
    },
    AddObject: {
      run: async (sessionId, args) => {
        const [type, name] = [str(args, 0), str(args, 1)];
        if (!isObjectType(type)) fail(`unknown object type "${type}"`);
        if (OUTPUT_ONLY_TYPES.has(type)) fail(`${type} objects are created by a run, not added`);
        if (type === 'global_settings' && name !== 'global_settings') {
          fail('a session has one global_settings object, named global_settings');
        }
        // Every session has its global_settings and scenario S1: adding them (as generated scripts do) is fine.
        if (isImplicitObject(type, name)) {
          await model.merge(sessionId, { model: { [type]: { [name]: {} } } });
          return true;
        }
        if (await model.store.hasObject(sessionId, type, name)) fail(`the ${type} "${name}" exists already`);
        await model.merge(sessionId, { model: { [type]: { [name]: {} } } });
        return true;
      },
      failure: false,
    },
    AttributeIsDefault: {
      run: async (sessionId, args) => (await model.value(sessionId, tna(args))).value === undefined,
      failure: true,
    },
  };
}

function timeFunctions(model: SessionModel): Entries {
  const timeField = (read: (time: TimeNode) => unknown, unset: unknown): Entry => ({
    run: async (sessionId) => {
      const time = await model.store.time(sessionId);
      return time ? read(time) : unset;
    },
    failure: unset,
  });
  return {
    SetTimeResolution: {
      run: async (sessionId, args) => {
        const [start, end, unit] = [str(args, 0), str(args, 1), str(args, 2)];
        const time = timeNodeFromShopApi(
          start,
          end,
          unit,
          args[3] as number[] | undefined,
          args[4] === undefined ? undefined : rows(args, 4),
        );
        await model.merge(sessionId, { time });
        return true;
      },
      failure: false,
    },
    GetStartTime: timeField((time) => formatShopTime(time.start_time), ''),
    GetEndTime: timeField((time) => formatShopTime(time.end_time), ''),
    GetTimeUnit: timeField((time) => time.time_unit, ''),
    GetTimeResolutionT: timeField((time) => resolutionBreakpoints(time).t, []),
    GetTimeResolutionY: timeField((time) => resolutionBreakpoints(time).y, []),
    SetTimeZone: {
      run: async (sessionId, args) => {
        await model.state.set(sessionId, { timeZone: str(args, 0) });
        return true;
      },
      failure: false,
    },
    GetTimeZone: { run: async (sessionId) => (await model.state.get(sessionId)).timeZone, failure: '' },
  };
}

/** A getter of one datatype: `answer` gets the stored value (undefined when unset). */
const getter = (
  model: SessionModel,
  datatypes: readonly ShopDatatype[],
  answer: (value: AttributeValue | undefined, info: { defaultValue: string | null }) => unknown,
  failure: unknown,
): Entry => ({
  run: async (sessionId, args) => {
    const { info, value } = await model.value(sessionId, tna(args), datatypes);
    return answer(value, info);
  },
  failure,
});

/** A setter of one datatype: `value` makes the SHOP JSON value from the arguments (undefined: unset). */
const setter = (
  model: SessionModel,
  datatypes: readonly ShopDatatype[],
  value: (args: Args, sessionId: number) => unknown,
): Entry => ({
  run: async (sessionId, args) => {
    await model.attribute(sessionId, str(args, 0), str(args, 1), str(args, 2), datatypes);
    await model.setValue(sessionId, tna(args), await value(args, sessionId));
    return true;
  },
  failure: false,
});

/** An unset scalar answers the catalog default when it parses as the datatype, else 0 or "". */
function scalarDefault(datatype: 'int' | 'double' | 'string', text: string | null): number | string {
  if (datatype === 'string') return text ?? '';
  const value = Number(text);
  if (text === null || text.trim() === '' || !Number.isFinite(value)) return 0;
  return datatype === 'int' && !Number.isInteger(value) ? 0 : value;
}

function scalarAndArrayFunctions(model: SessionModel): Entries {
  const scalar = (datatype: 'int' | 'double' | 'string') =>
    getter(
      model,
      [datatype],
      (value, info) => value ?? scalarDefault(datatype, info.defaultValue),
      datatype === 'string' ? '' : 0,
    );
  const array = (datatype: ShopDatatype) => getter(model, [datatype], (value) => value ?? [], []);
  const set = (datatype: ShopDatatype) => setter(model, [datatype], (args) => args[3]);
  return {
    GetIntValue: scalar('int'),
    SetIntValue: set('int'),
    GetDoubleValue: scalar('double'),
    SetDoubleValue: set('double'),
    GetStringValue: scalar('string'),
    SetStringValue: set('string'),
    GetIntArray: array('int_array'),
    SetIntArray: set('int_array'),
    GetDoubleArray: array('double_array'),
    SetDoubleArray: set('double_array'),
    GetStringArray: array('string_array'),
    SetStringArray: set('string_array'),
  };
}

function curveFunctions(model: SessionModel): Entries {
  const xy = (read: (curve: Xy) => unknown, unset: unknown) =>
    getter(model, ['xy'], (value) => (value === undefined ? unset : read(value as Xy)), unset);
  const xyArray = (key: 'refs' | 'n' | 'x' | 'y') =>
    getter(model, ['xy_array'], (value) => (value === undefined ? [] : xyArrayToShopApi(value as Xy[])[key]), []);
  const sy = (read: (table: Record<string, number>) => unknown) =>
    getter(model, ['sy'], (value) => read((value ?? {}) as Record<string, number>), []);
  const xyt = (read: (tables: Xyt[], args: Args, time?: TimeNode) => unknown): Entry => ({
    run: async (sessionId, args) => {
      const { value } = await model.value(sessionId, tna(args), ['xyt']);
      return read((value ?? []) as Xyt[], args, await model.store.time(sessionId));
    },
    failure: [],
  });
  const inRange = (tables: Xyt[], args: Args) => xytInRange(tables, optionalTime(args[3]), optionalTime(args[4]));
  return {
    SetXyCurve: setter(model, ['xy'], (args) => ({ ref: args[3], x: args[4], y: args[5] })),
    GetXyCurveReference: xy((curve) => curve.ref, 0),
    GetXyCurveX: xy((curve) => curve.x, []),
    GetXyCurveY: xy((curve) => curve.y, []),
    SetXyCurveArray: setter(model, ['xy_array'], (args) =>
      xyArrayFromShopApi(nums(args, 3), nums(args, 4), nums(args, 5), nums(args, 6)),
    ),
    GetXyCurveArrayReferences: xyArray('refs'),
    GetXyCurveArrayNPoints: xyArray('n'),
    GetXyCurveArrayX: xyArray('x'),
    GetXyCurveArrayY: xyArray('y'),
    SetSyCurve: setter(model, ['sy'], (args) => {
      const [keys, values] = [args[3] as string[], nums(args, 4)];
      if (keys.length !== values.length) fail(`s and y must have equal lengths (${keys.length} and ${values.length})`);
      return keys.map((key, i) => [key, values[i]]);
    }),
    GetSyCurveS: sy((table) => Object.keys(table)),
    GetSyCurveY: sy((table) => Object.values(table)),
    SetXyTCurve: setter(model, ['xyt'], (args) =>
      xytFromShopApi(args[3] as string[], nums(args, 4), nums(args, 5), nums(args, 6)),
    ),
    GetXyTCurveTimeStrings: xyt((tables) => tables.map((table) => formatShopTime(table.time))),
    GetXyTCurveTimes: xyt((tables, _args, time) =>
      time ? tables.map((table) => timeOffset(time.start_time, table.time, time.time_unit)) : [],
    ),
    GetXyTCurveX: xyt((tables, args) => inRange(tables, args).flatMap((table) => table.x)),
    GetXyTCurveY: xyt((tables, args) => inRange(tables, args).flatMap((table) => table.y)),
    GetXyTCurveN: xyt((tables, args) => inRange(tables, args).map((table) => table.x.length)),
  };
}

function seriesFunctions(model: SessionModel): Entries {
  const read = (key: 'start' | 't' | 'y', unset: unknown): Entry => ({
    run: async (sessionId, args) => {
      const { value } = await model.value(sessionId, tna(args), ['txy']);
      if (value === undefined) return unset;
      const time = await model.store.time(sessionId);
      const series = value as Txy;
      const start = series.timestamps?.[0] ?? time?.start_time;
      return start ? txyToShopApi(series, start, time?.time_unit ?? 'hour')[key] : unset;
    },
    failure: unset,
  });
  return {
    SetTxySeries: setter(model, ['txy'], async (args, sessionId) => {
      const time =
        (await model.store.time(sessionId)) ?? fail('the session has no time yet: call SetTimeResolution first');
      return txyFromShopApi(str(args, 3), nums(args, 4), rows(args, 5), time.time_unit);
    }),
    GetTxySeriesStartTime: read('start', ''),
    GetTxySeriesT: read('t', []),
    GetTxySeriesY: read('y', []),
    GetTxySeriesTimeUnit: {
      run: async (sessionId, args) => {
        await model.value(sessionId, tna(args), ['txy']);
        return (await model.store.time(sessionId))?.time_unit ?? '';
      },
      failure: '',
    },
  };
}

function relationFunctions(model: SessionModel): Entries {
  return {
    GetDefaultRelationType: {
      run: (_, args) => {
        const [from, to] = [str(args, 0), str(args, 1)];
        return isObjectType(from) && isObjectType(to) && connectionAllowed(from, to) ? 'connection_standard' : '';
      },
      failure: '',
    },
    AddRelation: {
      run: async (sessionId, args) => {
        const [fromType, from, relation, toType, to] = [0, 1, 2, 3, 4].map((i) => str(args, i));
        const relationType = RELATION_TYPES[relation] ?? fail(unknownRelation(relation));
        await model.requireObject(sessionId, fromType, from);
        await model.requireObject(sessionId, toType, to);
        const connection = { from, from_type: fromType, to, to_type: toType, relation_type: relationType };
        await model.merge(sessionId, { connections: [connection] });
        return true;
      },
      failure: false,
    },
    GetRelations: { run: (sessionId, args) => model.relations(sessionId, tna(args), 'output'), failure: [] },
    GetInputRelations: { run: (sessionId, args) => model.relations(sessionId, tna(args), 'input'), failure: [] },
    GetValidRelationTypes: {
      run: (_, args) => {
        const type = str(args, 0);
        if (!isObjectType(type)) return [];
        return SPILL_TYPES.has(type) ? Object.keys(RELATION_TYPES) : ['connection_standard'];
      },
      failure: [],
    },
    GetRelationInfo: {
      run: (_, args) => {
        const [from, to, key] = tna(args);
        return key === 'relationCategory' && isObjectType(from) && isObjectType(to) ? relationCategory(from, to) : '';
      },
      failure: '',
    },
  };
}

/**
 * Runs commands through PUT /model's machinery (stored, interpreted with the session's settings,
 * solved before the answer). A command Tarn does not know or apply is a failure, as is a run that
 * ends without a solution; the first failure stops the list.
 */
async function execute(model: SessionModel, sessionId: number, commands: Command[]): Promise<boolean> {
  for (const raw of commands) {
    const command = { ...raw, options: raw.options.map((option) => option.replace(/^\//, '')) };
    const known = findCommand(command.command) ?? fail(`unknown command "${commandText(command)}"`);
    if (!APPLIED_COMMANDS.includes(known.name)) {
      fail(
        `"${commandText(command)}" is a SHOP command Tarn does not implement; it applies ${APPLIED_COMMANDS.join(', ')}`,
      );
    }
    await model.merge(sessionId, { commands: [{ ...command, command: known.name }] });
  }
  return true;
}

function commandFunctions(model: SessionModel): Entries {
  return {
    ExecuteCommand: {
      run: (sessionId, args) =>
        execute(model, sessionId, [
          { command: str(args, 0), options: args[1] as string[], values: args[2] as string[] },
        ]),
      failure: false,
    },
    ExecuteCommandList: {
      run: (sessionId, args) => {
        const [options, values] = [args[1] as string[][], args[2] as string[][]];
        const commands = (args[0] as string[]).map((command, i) => ({
          command,
          options: options[i] ?? [],
          values: values[i] ?? [],
        }));
        return execute(model, sessionId, commands);
      },
      failure: false,
    },
    GetExecutedCommands: {
      run: async (sessionId) => (await model.store.executedCommands(sessionId)).map(commandText),
      failure: [],
    },
    ReadYamlString: {
      run: async (sessionId, args) => {
        // SHOP's load_yaml runs the case's commands too.
        await model.upload.put(sessionId, str(args, 0));
        return true;
      },
      failure: false,
    },
  };
}

function messageFunctions({ model, logs }: HandlerDeps): Entries {
  return {
    GetMessages: {
      run: async (sessionId) => {
        const { messagesSeen } = await model.state.get(sessionId);
        const messages = [];
        for (let since = messagesSeen, page = await logs.messages(sessionId, since); page.length;) {
          messages.push(...page);
          since = page[page.length - 1].id;
          page = page.length < 1000 ? [] : await logs.messages(sessionId, since);
        }
        if (messages.length) await model.state.set(sessionId, { messagesSeen: messages[messages.length - 1].id });
        return JSON.stringify(messages);
      },
      failure: '[]',
    },
    GetAllMessages: constant([]),
  };
}

function fileAndInfoFunctions({ model, solver }: HandlerDeps): Entries {
  const refuseFile = (what: string): Entry => ({
    run: (_, args) =>
      fail(
        `${what} names a file on the client ("${str(args, 0)}"); Tarn never reads or writes server files on a ` +
          "client's word: use dump_yaml() without file_path (DumpYamlString), or YAML (ReadYamlString)",
      ),
    failure: false,
  });
  return {
    DumpYamlString: {
      run: async (sessionId, args) => {
        const [inputOnly, compressTxy, compressConnections] = [args[0], args[1], args[2]] as boolean[];
        const document = await model.store.get(sessionId, {
          isInput: true,
          isOutput: !inputOnly,
          includeTime: true,
          includeConnections: true,
          compressTxy: false,
        });
        return shopJsonToYaml(document, { compressTxy, compressConnections });
      },
      failure: '',
    },
    DumpYamlCase: refuseFile('DumpYamlCase'),
    ReadShopAsciiFile: refuseFile('ReadShopAsciiFile'),
    OverrideDllPath: constant(true),
    GetVersionString: constant(`${SHOP_API_LEVEL} Tarn ${PACKAGE.version} (solver ${solver})`),
    GetLicenseInfo: constant(licenseInfo()),
  };
}
