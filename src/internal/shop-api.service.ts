import { Injectable } from '@nestjs/common';
import { PACKAGE } from '../common/package-info.js';
import { TarnError } from '../common/errors/tarn-error.js';
import { TarnConfig } from '../config/tarn-config.js';
import { SessionLogService } from '../logging/session-log.service.js';
import { ModelStoreService } from '../model-store/model-store.service.js';
import { ModelUploadService } from '../models/model-upload.service.js';
import { APPLIED_COMMANDS, commandText } from '../shop/command-interpreter.js';
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
import {
  formatShopTime,
  resolutionBreakpoints,
  ShopApiValueError,
  timeNodeFromShopApi,
  timeOffset,
  txyFromShopApi,
  txyToShopApi,
  xyArrayFromShopApi,
  xyArrayToShopApi,
  xytFromShopApi,
  xytInRange,
} from '../shop/shop-api-values.js';
import type { AttributeValue, Command, Connection, RelationType, TimeNode, Txy, Xy, Xyt } from '../shop/shop-json.js';
import { shopJsonToYaml } from '../shop/shop-yaml.js';
import { licenseInfo } from './licenses.js';
import type { ArgValue, ShopApiFunctionName } from './shop-api-functions.js';
import { ShopApiStateService } from './shop-api-state.service.js';

/** A model failure (pyshop-compat.md §2): the call answers its failure value and logs an ERROR. */
class ModelFailure extends Error {}

const fail = (message: string): never => {
  throw new ModelFailure(message);
};

/** The SHOP API level Tarn's functions follow (the release that added GetAllMessages). */
export const SHOP_API_LEVEL = '15.1.1.0';

const OBJECT_INFO_KEYS = ['isInput', 'isOutput'];

const ATTRIBUTE_INFO_KEYS = [
  'isInput',
  'isOutput',
  'datatype',
  'xUnit',
  'yUnit',
  'licenseName',
  'fullName',
  'dataFuncName',
  'description',
  'documentationUrl',
  'exampleUrlPrefix',
  'example',
];

/** The output-only type whose objects a run creates; every other type takes inputs. */
const OUTPUT_ONLY_TYPES = new Set(['objective']);

const RELATION_TYPES: Record<string, RelationType> = {
  connection_standard: 'default',
  connection_spill: 'spill',
  connection_bypass: 'bypass',
};

const pyBool = (value: boolean) => (value ? 'True' : 'False');

type Args = Array<ArgValue | undefined>;
type Handler = (sessionId: number, args: Args) => Promise<unknown> | unknown;

interface Entry {
  run: Handler;
  /** What the function answers when the model refuses the call. */
  failure: unknown;
}

/** The value an unset scalar answers: the catalog default when it parses, else 0, 0.0 or "". */
function scalarDefault(datatype: 'int' | 'double' | 'string', text: string | null | undefined): number | string {
  if (datatype === 'string') return text ?? '';
  const value = Number(text);
  if (text === null || text === undefined || text.trim() === '' || !Number.isFinite(value)) return 0;
  return datatype === 'int' ? (Number.isInteger(value) ? value : 0) : value;
}

/**
 * The SHOP API functions on a session's stored model: the same model `PUT /model` and `GET
 * /model` serve, one attribute row read or written per call. Calls of one session run one at a
 * time, in arrival order.
 */
@Injectable()
export class ShopApiService {
  private readonly queues = new Map<number, Promise<unknown>>();
  private readonly handlers: Record<ShopApiFunctionName, Entry>;

  constructor(
    private readonly store: ModelStoreService,
    private readonly upload: ModelUploadService,
    private readonly logs: SessionLogService,
    private readonly state: ShopApiStateService,
    private readonly config: TarnConfig,
  ) {
    this.handlers = this.buildHandlers();
  }

  /**
   * Calls a function. Without a session (functions that need none) it runs at once; with one, after
   * the session's earlier calls. A model failure answers the function's failure value and writes an
   * ERROR to the session log; protocol failures (HTTP errors) propagate.
   */
  async call(name: ShopApiFunctionName, args: Args, sessionId?: number): Promise<unknown> {
    const entry = this.handlers[name];
    const run = async () => {
      try {
        return await entry.run(sessionId ?? 0, args);
      } catch (error) {
        const message = failureMessage(error);
        if (message === undefined) throw error;
        if (sessionId !== undefined) await this.logs.log(sessionId, 'ERROR', `${name}: ${message}`, 'shop-api');
        return entry.failure;
      }
    };
    if (sessionId === undefined) return run();
    const previous = this.queues.get(sessionId) ?? Promise.resolve();
    const current = previous.then(run, run);
    this.queues.set(sessionId, current);
    try {
      return await current;
    } finally {
      if (this.queues.get(sessionId) === current) this.queues.delete(sessionId);
    }
  }

  private buildHandlers(): Record<ShopApiFunctionName, Entry> {
    const str = (args: Args, i: number) => args[i] as string;
    const nums = (args: Args, i: number) => args[i] as number[];
    const tna = (args: Args) => [str(args, 0), str(args, 1), str(args, 2)] as const;
    const get =
      <T>(
        datatypes: ShopDatatype[],
        answer: (value: AttributeValue | undefined, info: AttributeMeta) => T | Promise<T>,
      ) =>
      async (sessionId: number, args: Args) => {
        const [type, name, attribute] = tna(args);
        const info = await this.attributeOf(sessionId, type, name, attribute, datatypes);
        return answer(await this.store.attribute(sessionId, type, name, attribute), info);
      };
    const set =
      (datatypes: ShopDatatype[], value: (args: Args, sessionId: number) => unknown) =>
      async (sessionId: number, args: Args) => {
        const [type, name, attribute] = tna(args);
        await this.attributeOf(sessionId, type, name, attribute, datatypes);
        const resolved = await value(args, sessionId);
        if (resolved === undefined) await this.upload.unset(sessionId, type, name, attribute);
        else await this.write(sessionId, { model: { [type]: { [name]: { [attribute]: resolved } } } });
        return true;
      };
    const scalar = (datatype: 'int' | 'double' | 'string'): Entry => ({
      run: get([datatype], (value, info) => value ?? scalarDefault(datatype, info.defaultValue)),
      failure: datatype === 'string' ? '' : 0,
    });
    const array = (datatype: ShopDatatype): Entry => ({ run: get([datatype], (value) => value ?? []), failure: [] });
    const setter = (datatypes: ShopDatatype[], value: (args: Args, sessionId: number) => unknown): Entry => ({
      run: set(datatypes, value),
      failure: false,
    });
    const xy = (read: (curve: Xy) => unknown, unset: unknown): Entry => ({
      run: get(['xy'], (value) => (value === undefined ? unset : read(value as Xy))),
      failure: unset,
    });
    const xyArray = (key: 'refs' | 'n' | 'x' | 'y'): Entry => ({
      run: get(['xy_array'], (value) => (value === undefined ? [] : xyArrayToShopApi(value as Xy[])[key])),
      failure: [],
    });
    const series = (key: 'start' | 't' | 'y', unset: unknown): Entry => ({
      run: async (sessionId, args) => {
        const [type, name, attribute] = tna(args);
        await this.attributeOf(sessionId, type, name, attribute, ['txy']);
        const value = (await this.store.attribute(sessionId, type, name, attribute)) as Txy | undefined;
        if (value === undefined) return unset;
        const time = await this.store.time(sessionId);
        const start = value.timestamps?.[0] ?? time?.start_time;
        if (!start) return unset;
        return txyToShopApi(value, start, time?.time_unit ?? 'hour')[key];
      },
      failure: unset,
    });
    const xyt = (read: (tables: Xyt[], args: Args, time?: TimeNode) => unknown): Entry => ({
      run: async (sessionId, args) => {
        const [type, name, attribute] = tna(args);
        await this.attributeOf(sessionId, type, name, attribute, ['xyt']);
        const tables = ((await this.store.attribute(sessionId, type, name, attribute)) ?? []) as Xyt[];
        return read(tables, args, await this.store.time(sessionId));
      },
      failure: [],
    });
    const constant = (value: unknown): Entry => ({ run: () => value, failure: value });
    const timeField = (read: (time: TimeNode) => unknown, unset: unknown): Entry => ({
      run: async (sessionId) => {
        const time = await this.store.time(sessionId);
        return time ? read(time) : unset;
      },
      failure: unset,
    });
    const relations = (direction: 'output' | 'input'): Entry => ({
      run: (sessionId, args) => this.relations(sessionId, str(args, 0), str(args, 1), str(args, 2), direction),
      failure: [],
    });
    const refuseFile = (what: string): Entry => ({
      run: (_sessionId, args) =>
        fail(
          `${what} names a file on the client ("${str(args, 0)}"); Tarn never reads or writes server files ` +
            "on a client's word: use dump_yaml() without file_path (DumpYamlString) or load_yaml (ReadYamlString)",
        ),
      failure: false,
    });

    return {
      GetObjectTypeNames: constant([...OBJECT_TYPES]),
      GetObjectInfo: {
        run: (_sessionId, args) => {
          const [type, key] = [str(args, 0), str(args, 1)];
          if (!isObjectType(type)) return '';
          if (key === 'isInput') return pyBool(!OUTPUT_ONLY_TYPES.has(type));
          if (key === 'isOutput') return pyBool(attributesOf(type).some((a) => a.isOutput));
          return '';
        },
        failure: '',
      },
      GetValidObjectInfoKeys: constant(OBJECT_INFO_KEYS),
      GetObjectTypeAttributeNames: {
        run: (_sessionId, args) => typedAttributes(str(args, 0)).map((a) => a.name),
        failure: [],
      },
      GetObjectTypeAttributeDatatypes: {
        run: (_sessionId, args) => typedAttributes(str(args, 0)).map((a) => a.datatype),
        failure: [],
      },
      GetCommandTypesInSystem: constant(COMMANDS.map((command) => command.name)),
      GetObjectNamesInSystem: { run: (sessionId) => this.listObjects(sessionId, 'objectName'), failure: [] },
      GetObjectTypesInSystem: { run: (sessionId) => this.listObjects(sessionId, 'objectType'), failure: [] },
      UpdateNeeded: {
        run: async (sessionId) => {
          const [count, state] = [await this.store.objectCount(sessionId), await this.state.get(sessionId)];
          return count !== state.listedObjects;
        },
        failure: true,
      },
      AddObject: {
        run: async (sessionId, args) => {
          const [type, name] = [str(args, 0), str(args, 1)];
          if (!isObjectType(type)) fail(`unknown object type "${type}"`);
          if (OUTPUT_ONLY_TYPES.has(type)) fail(`${type} objects are created by a run, not added`);
          if (await this.store.hasObject(sessionId, type, name)) fail(`the ${type} "${name}" exists already`);
          await this.write(sessionId, { model: { [type]: { [name]: {} } } });
          return true;
        },
        failure: false,
      },

      SetTimeResolution: {
        run: async (sessionId, args) => {
          const time = timeNodeFromShopApi(
            str(args, 0),
            str(args, 1),
            str(args, 2),
            args[3] as number[] | undefined,
            args[4] as Array<number | number[]> | undefined,
          );
          await this.write(sessionId, { time });
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
          await this.state.set(sessionId, { timeZone: str(args, 0) });
          return true;
        },
        failure: false,
      },
      GetTimeZone: { run: async (sessionId) => (await this.state.get(sessionId)).timeZone, failure: '' },

      GetIntValue: scalar('int'),
      SetIntValue: setter(['int'], (args) => args[3]),
      GetDoubleValue: scalar('double'),
      SetDoubleValue: setter(['double'], (args) => args[3]),
      GetStringValue: scalar('string'),
      SetStringValue: setter(['string'], (args) => args[3]),
      GetIntArray: array('int_array'),
      SetIntArray: setter(['int_array'], (args) => args[3]),
      GetDoubleArray: array('double_array'),
      SetDoubleArray: setter(['double_array'], (args) => args[3]),
      GetStringArray: array('string_array'),
      SetStringArray: setter(['string_array'], (args) => args[3]),
      SetXyCurve: setter(['xy'], (args) => ({ ref: args[3], x: args[4], y: args[5] })),
      GetXyCurveReference: xy((curve) => curve.ref, 0),
      GetXyCurveX: xy((curve) => curve.x, []),
      GetXyCurveY: xy((curve) => curve.y, []),
      SetXyCurveArray: setter(['xy_array'], (args) =>
        xyArrayFromShopApi(nums(args, 3), nums(args, 4), nums(args, 5), nums(args, 6)),
      ),
      GetXyCurveArrayReferences: xyArray('refs'),
      GetXyCurveArrayNPoints: xyArray('n'),
      GetXyCurveArrayX: xyArray('x'),
      GetXyCurveArrayY: xyArray('y'),
      SetTxySeries: setter(['txy'], async (args, sessionId) => {
        const time = await this.store.time(sessionId);
        if (!time) fail('the session has no time resolution yet: call SetTimeResolution first');
        return txyFromShopApi(str(args, 3), nums(args, 4), args[5] as Array<number | number[]>, time!.time_unit);
      }),
      GetTxySeriesStartTime: series('start', ''),
      GetTxySeriesT: series('t', []),
      GetTxySeriesY: series('y', []),
      GetTxySeriesTimeUnit: {
        run: async (sessionId, args) => {
          const [type, name, attribute] = tna(args);
          await this.attributeOf(sessionId, type, name, attribute, ['txy']);
          return (await this.store.time(sessionId))?.time_unit ?? '';
        },
        failure: '',
      },
      SetSyCurve: setter(['sy'], (args) => {
        const [keys, values] = [args[3] as string[], nums(args, 4)];
        if (keys.length !== values.length) {
          fail(`s and y must have equal lengths (${keys.length} and ${values.length})`);
        }
        return keys.map((key, i) => [key, values[i]]);
      }),
      GetSyCurveS: { run: get(['sy'], (value) => Object.keys((value ?? {}) as Record<string, number>)), failure: [] },
      GetSyCurveY: { run: get(['sy'], (value) => Object.values((value ?? {}) as Record<string, number>)), failure: [] },
      SetXyTCurve: setter(['xyt'], (args) =>
        xytFromShopApi(args[3] as string[], nums(args, 4), nums(args, 5), nums(args, 6)),
      ),
      GetXyTCurveTimeStrings: xyt((tables) => tables.map((table) => formatShopTime(table.time))),
      GetXyTCurveTimes: xyt((tables, _args, time) =>
        time ? tables.map((table) => timeOffset(time.start_time, table.time, time.time_unit)) : [],
      ),
      GetXyTCurveX: xyt((tables, args) => xytInRange(tables, opt(args[3]), opt(args[4])).flatMap((t) => t.x)),
      GetXyTCurveY: xyt((tables, args) => xytInRange(tables, opt(args[3]), opt(args[4])).flatMap((t) => t.y)),
      GetXyTCurveN: xyt((tables, args) => xytInRange(tables, opt(args[3]), opt(args[4])).map((t) => t.x.length)),
      AttributeIsDefault: {
        run: async (sessionId, args) => {
          const [type, name, attribute] = tna(args);
          await this.attributeOf(sessionId, type, name, attribute);
          return (await this.store.attribute(sessionId, type, name, attribute)) === undefined;
        },
        failure: true,
      },

      GetDefaultRelationType: {
        run: (_sessionId, args) => {
          const [from, to] = [str(args, 0), str(args, 1)];
          return isObjectType(from) && isObjectType(to) && connectionAllowed(from, to) ? 'connection_standard' : '';
        },
        failure: '',
      },
      AddRelation: {
        run: async (sessionId, args) => {
          const [fromType, from, relation, toType, to] = [0, 1, 2, 3, 4].map((i) => str(args, i));
          const relationType = RELATION_TYPES[relation];
          if (!relationType) fail(`unknown relation type "${relation}"; ${Object.keys(RELATION_TYPES).join(', ')}`);
          for (const [type, name] of [
            [fromType, from],
            [toType, to],
          ]) {
            await this.objectOf(sessionId, type, name);
          }
          await this.write(sessionId, {
            connections: [{ from, from_type: fromType, to, to_type: toType, relation_type: relationType }],
          });
          return true;
        },
        failure: false,
      },
      GetRelations: relations('output'),
      GetInputRelations: relations('input'),
      GetValidRelationTypes: {
        run: (_sessionId, args) => {
          const type = str(args, 0);
          if (!isObjectType(type)) return [];
          return type === 'reservoir' || type === 'creek_intake'
            ? Object.keys(RELATION_TYPES)
            : ['connection_standard'];
        },
        failure: [],
      },
      GetRelationInfo: {
        run: (_sessionId, args) => {
          const [from, to, key] = [str(args, 0), str(args, 1), str(args, 2)];
          if (key !== 'relationCategory' || !isObjectType(from) || !isObjectType(to)) return '';
          return relationCategory(from, to);
        },
        failure: '',
      },

      ExecuteCommand: {
        run: (sessionId, args) =>
          this.execute(sessionId, [
            { command: str(args, 0), options: args[1] as string[], values: args[2] as string[] },
          ]),
        failure: false,
      },
      ExecuteCommandList: {
        run: (sessionId, args) => {
          const commands = args[0] as string[];
          const options = args[1] as string[][];
          const values = args[2] as string[][];
          return this.execute(
            sessionId,
            commands.map((command, i) => ({ command, options: options[i] ?? [], values: values[i] ?? [] })),
          );
        },
        failure: false,
      },
      GetExecutedCommands: {
        run: async (sessionId) => (await this.store.executedCommands(sessionId)).map(commandText),
        failure: [],
      },

      GetMessages: {
        run: async (sessionId) => {
          const { messagesSeen } = await this.state.get(sessionId);
          const messages = [];
          for (let since = messagesSeen; ;) {
            const page = await this.logs.messages(sessionId, since);
            messages.push(...page);
            if (page.length < 1000) break;
            since = page[page.length - 1].id;
          }
          if (messages.length) await this.state.set(sessionId, { messagesSeen: messages[messages.length - 1].id });
          return JSON.stringify(messages);
        },
        failure: '[]',
      },
      GetAllMessages: constant([]),

      ReadYamlString: {
        run: async (sessionId, args) => {
          await this.upload.put(sessionId, str(args, 0));
          return true;
        },
        failure: false,
      },
      DumpYamlString: {
        run: async (sessionId, args) => {
          const [inputOnly, compressTxy, compressConnections] = [args[0], args[1], args[2]] as boolean[];
          const model = await this.store.get(sessionId, {
            isInput: true,
            isOutput: !inputOnly,
            includeTime: true,
            includeConnections: true,
            compressTxy: false,
          });
          return shopJsonToYaml(model, { compressTxy, compressConnections });
        },
        failure: '',
      },
      DumpYamlCase: refuseFile('DumpYamlCase'),
      ReadShopAsciiFile: refuseFile('ReadShopAsciiFile'),
      OverrideDllPath: constant(true),
      GetVersionString: constant(`${SHOP_API_LEVEL} Tarn ${PACKAGE.version} (solver ${this.config.solver.provider})`),
      GetLicenseInfo: constant(licenseInfo()),
      GetValidAttributeInfoKeys: constant(ATTRIBUTE_INFO_KEYS),
      GetAttributeInfo: {
        run: (_sessionId, args) => {
          const info = attributeInfo(str(args, 0), str(args, 1));
          return info ? attributeInfoValue(verboseAttributeInfo(info), str(args, 2)) : '';
        },
        failure: '',
      },
    };
  }

  /** The catalog entry of an attribute of an existing object, of one of the datatypes given. */
  private async attributeOf(
    sessionId: number,
    type: string,
    name: string,
    attribute: string,
    datatypes?: ShopDatatype[],
  ): Promise<AttributeMeta> {
    if (!isObjectType(type)) fail(`unknown object type "${type}"`);
    const info = attributeInfo(type, attribute);
    if (!info) fail(`${type} has no attribute "${attribute}"`);
    if (datatypes && info!.datatype !== null && !datatypes.includes(info!.datatype)) {
      fail(`${type}.${attribute} is of datatype ${info!.datatype}, not ${datatypes.join(' or ')}`);
    }
    await this.objectOf(sessionId, type, name);
    return info!;
  }

  private async objectOf(sessionId: number, type: string, name: string): Promise<void> {
    if (!isObjectType(type)) fail(`unknown object type "${type}"`);
    if (!(await this.store.hasObject(sessionId, type, name))) fail(`the session has no ${type} named "${name}"`);
  }

  /** Merges SHOP JSON into the session's model, as PUT /model does, without a line in the session log. */
  private async write(sessionId: number, document: object): Promise<void> {
    await this.upload.put(sessionId, document, { quiet: true });
  }

  private async listObjects(sessionId: number, key: 'objectName' | 'objectType'): Promise<string[]> {
    const objects = await this.store.objects(sessionId);
    await this.state.set(sessionId, { listedObjects: objects.length });
    return objects.map((object) => object[key]);
  }

  /**
   * The indices (in GetObjectNamesInSystem's order) of the objects connected to (`output`) or
   * from (`input`) an object with a relation type. Logical partners count from both ends.
   */
  private async relations(
    sessionId: number,
    type: string,
    name: string,
    relation: string,
    direction: 'output' | 'input',
  ): Promise<number[]> {
    const relationType = RELATION_TYPES[relation];
    if (!relationType) fail(`unknown relation type "${relation}"; ${Object.keys(RELATION_TYPES).join(', ')}`);
    await this.objectOf(sessionId, type, name);
    const [objects, connections] = [await this.store.objects(sessionId), await this.store.connections(sessionId)];
    const index = new Map(objects.map((object, i) => [`${object.objectType}\u0000${object.objectName}`, i]));
    const partners: number[] = [];
    const add = (partnerType: string, partnerName: string) => {
      const i = index.get(`${partnerType}\u0000${partnerName}`);
      if (i !== undefined && !partners.includes(i)) partners.push(i);
    };
    const isSelf = (t: string, n: string) => t === type && n === name;
    for (const c of connections.filter((connection: Connection) => connection.relation_type === relationType)) {
      const logical = relationCategory(c.from_type, c.to_type) === 'logical';
      if (isSelf(c.from_type, c.from) && (direction === 'output' || logical)) add(c.to_type, c.to);
      else if (isSelf(c.to_type, c.to) && (direction === 'input' || logical)) add(c.from_type, c.from);
    }
    return partners;
  }

  /**
   * Runs commands through PUT /model's machinery (stored, interpreted with the session's
   * settings, solved before the answer). A command Tarn does not know or apply is a failure, as
   * is a run that ends without a solution; the first failure stops the list.
   */
  private async execute(sessionId: number, commands: Command[]): Promise<boolean> {
    for (const raw of commands) {
      const command = {
        command: raw.command,
        options: raw.options.map((option) => option.replace(/^\//, '')),
        values: raw.values,
      };
      const known = findCommand(command.command);
      if (!known) fail(`unknown command "${commandText(command)}"`);
      if (!APPLIED_COMMANDS.includes(known!.name)) {
        fail(
          `"${commandText(command)}" is a SHOP command Tarn does not implement; Tarn applies ${APPLIED_COMMANDS.join(', ')}`,
        );
      }
      await this.upload.put(sessionId, { commands: [{ ...command, command: known!.name }] }, { quiet: true });
    }
    return true;
  }
}

type AttributeMeta = NonNullable<ReturnType<typeof attributeInfo>>;

/** The attributes of a type that a SHOP API client can read and write: those with a known datatype. */
function typedAttributes(type: string): AttributeMeta[] {
  return attributesOf(type).filter((attribute) => attribute.datatype !== null) as AttributeMeta[];
}

const opt = (value: ArgValue | undefined) => (value === undefined || value === '' ? undefined : (value as string));

function attributeInfoValue(info: ReturnType<typeof verboseAttributeInfo>, key: string): string {
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  switch (key) {
    case 'isInput':
      return pyBool(info.is_input !== false);
    case 'isOutput':
      return pyBool(info.is_output === true);
    case 'datatype':
      return info.legacy_datatype === 'unknown' ? '' : info.legacy_datatype;
    case 'xUnit':
      return text(info.x_unit);
    case 'yUnit':
      return text(info.y_unit);
    case 'licenseName':
      return text(info.license_name);
    case 'fullName':
      return info.full_name;
    case 'dataFuncName':
      return text(info.data_func_name);
    case 'description':
      return info.description;
    case 'documentationUrl':
      return info.documentation_url;
    case 'exampleUrlPrefix':
      return text(info.example_url_prefix);
    case 'example':
      return text(info.example);
    default:
      return '';
  }
}

/** The message of a model failure, or undefined for an error that is not the client's model's. */
function failureMessage(error: unknown): string | undefined {
  if (error instanceof ModelFailure || error instanceof ShopApiValueError) return error.message;
  if (error instanceof TarnError && error.status < 500 && error.code !== 'session_gone') {
    const details = error.details
      .filter((detail) => detail.message)
      .map((detail) => (detail.path ? `${detail.path}: ${detail.message}` : detail.message));
    return details.length ? `${error.message} (${details.slice(0, 5).join('; ')})` : error.message;
  }
  return undefined;
}
