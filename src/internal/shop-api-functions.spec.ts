import { describe, expect, it } from '@jest/globals';
import { readArguments, SHOP_API_FUNCTION_NAMES, SHOP_API_FUNCTIONS } from './shop-api-functions.js';

/** pyshop-compat.md §5: the 51 a basic script needs and the 22 others. */
const BASIC = [
  'GetObjectTypeNames',
  'GetObjectInfo',
  'GetObjectNamesInSystem',
  'GetObjectTypesInSystem',
  'GetCommandTypesInSystem',
  'UpdateNeeded',
  'GetObjectTypeAttributeNames',
  'GetObjectTypeAttributeDatatypes',
  'AddObject',
  'GetDefaultRelationType',
  'AddRelation',
  'GetRelations',
  'SetTimeResolution',
  'SetTimeZone',
  'GetTimeZone',
  'GetStartTime',
  'GetEndTime',
  'GetTimeUnit',
  'GetTimeResolutionT',
  'GetTimeResolutionY',
  'GetIntValue',
  'SetIntValue',
  'GetDoubleValue',
  'SetDoubleValue',
  'GetStringValue',
  'SetStringValue',
  'GetIntArray',
  'SetIntArray',
  'GetDoubleArray',
  'SetDoubleArray',
  'GetStringArray',
  'SetStringArray',
  'GetXyCurveReference',
  'GetXyCurveX',
  'GetXyCurveY',
  'SetXyCurve',
  'GetXyCurveArrayReferences',
  'GetXyCurveArrayNPoints',
  'GetXyCurveArrayX',
  'GetXyCurveArrayY',
  'SetXyCurveArray',
  'GetTxySeriesStartTime',
  'GetTxySeriesT',
  'GetTxySeriesY',
  'SetTxySeries',
  'ExecuteCommand',
  'GetMessages',
  'DumpYamlString',
  'ReadYamlString',
  'GetLicenseInfo',
  'GetVersionString',
];
const REST = [
  'AttributeIsDefault',
  'DumpYamlCase',
  'ExecuteCommandList',
  'GetAllMessages',
  'GetAttributeInfo',
  'GetExecutedCommands',
  'GetInputRelations',
  'GetRelationInfo',
  'GetValidAttributeInfoKeys',
  'GetValidObjectInfoKeys',
  'GetValidRelationTypes',
  'GetSyCurveS',
  'GetSyCurveY',
  'SetSyCurve',
  'GetXyTCurveN',
  'GetXyTCurveTimeStrings',
  'GetXyTCurveTimes',
  'GetXyTCurveX',
  'GetXyTCurveY',
  'SetXyTCurve',
  'OverrideDllPath',
  'ReadShopAsciiFile',
];

const detailPath = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    const response = (error as { getResponse(): { details: Array<{ path: string }> } }).getResponse();
    return { status: (error as { getStatus(): number }).getStatus(), path: response.details[0].path };
  }
  throw new Error('did not throw');
};

describe('the SHOP API functions served', () => {
  it('are the 73 pyshop calls (51 basic, 22 others) and GetTxySeriesTimeUnit of later pyshop', () => {
    expect(BASIC).toHaveLength(51);
    expect(REST).toHaveLength(22);
    expect([...SHOP_API_FUNCTION_NAMES].sort()).toEqual([...BASIC, ...REST, 'GetTxySeriesTimeUnit'].sort());
    for (const name of BASIC) expect(SHOP_API_FUNCTIONS[name as keyof typeof SHOP_API_FUNCTIONS].tier).toBe('B');
    for (const name of REST) expect(SHOP_API_FUNCTIONS[name as keyof typeof SHOP_API_FUNCTIONS].tier).toBe('R');
  });
});

describe('readArguments', () => {
  it('takes positional arguments, then named ones, and fills defaults', () => {
    expect(readArguments('SetDoubleValue', { args: ['reservoir', 'R1', 'max_vol', 12], kwargs: {} })).toEqual([
      'reservoir',
      'R1',
      'max_vol',
      12,
    ]);
    expect(
      readArguments('SetDoubleValue', { args: ['reservoir', 'R1'], kwargs: { attribute_name: 'max_vol', value: 1.5 } }),
    ).toEqual(['reservoir', 'R1', 'max_vol', 1.5]);
    expect(readArguments('DumpYamlString', { kwargs: { input_only: false } })).toEqual([false, true, true]);
    expect(readArguments('DumpYamlString', undefined)).toEqual([true, true, true]);
    expect(readArguments('ExecuteCommand', { args: ['start sim'] })).toEqual(['start sim', [], []]);
    expect(readArguments('SetTxySeries', { args: ['m', 'D', 'sale_price', '20180227', [0], [[1.5]]] })).toHaveLength(6);
  });

  it.each([
    ['a missing argument', 'SetDoubleValue', { args: ['reservoir', 'R1', 'max_vol'] }, 'kwargs.value'],
    ['too many arguments', 'GetStartTime', { args: [1] }, 'args'],
    ['a string for a number', 'SetDoubleValue', { args: ['reservoir', 'R1', 'max_vol', '12'] }, 'args[3]'],
    ['a float for an int', 'SetIntValue', { args: ['generator', 'G', 'penstock', 1.5] }, 'args[3]'],
    ['a number in a string list', 'ExecuteCommand', { args: ['start sim', [], [3]] }, 'args[2]'],
    ['an unknown keyword', 'GetStartTime', { kwargs: { when: 1 } }, 'kwargs.when'],
    [
      'a keyword given twice',
      'AddObject',
      { args: ['reservoir', 'R'], kwargs: { object_type: 'plant' } },
      'kwargs.object_type',
    ],
    ['an unknown field', 'GetStartTime', { args: [], verbose: true }, 'verbose'],
    ['args not a list', 'GetStartTime', { args: 'x' }, 'args'],
    ['kwargs not an object', 'GetStartTime', { kwargs: [] }, 'kwargs'],
    ['a body that is a list', 'GetStartTime', [], 'body'],
    ['null for a boolean', 'DumpYamlString', { args: [null] }, 'args[0]'],
  ] as const)('refuses %s with 400 naming %s', (_, name, body, path) => {
    expect(detailPath(() => readArguments(name, body))).toEqual({ status: 400, path });
  });
});
