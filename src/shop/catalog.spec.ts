import { describe, expect, it } from '@jest/globals';
import {
  ATTRIBUTES,
  attributeInfo,
  attributesOf,
  COMMANDS,
  connectionAllowed,
  findCommand,
  isObjectType,
  OBJECT_TYPES,
  relationCategory,
  verboseAttributeInfo,
} from './catalog.js';

describe('the SHOP catalog', () => {
  describe('object types', () => {
    it('has the 36 documented types plus network and flow_constraint, sorted', () => {
      expect(OBJECT_TYPES).toHaveLength(38);
      expect([...OBJECT_TYPES].sort()).toEqual(OBJECT_TYPES);
      expect(new Set(OBJECT_TYPES).size).toBe(38);
      for (const type of ['reservoir', 'plant', 'generator', 'global_settings', 'objective', 'system', 'network']) {
        expect(isObjectType(type)).toBe(true);
      }
      expect(attributesOf('network')).toEqual([]);
      expect(attributesOf('flow_constraint')).toEqual([]);
      expect(new Set(ATTRIBUTES.map((a) => a.objectType)).size).toBe(36);
    });

    it('knows no other names, prototype keys included', () => {
      for (const name of ['Reservoir', 'reservoirs', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
        expect(isObjectType(name)).toBe(false);
      }
      expect(attributesOf('__proto__')).toEqual([]);
      expect(attributesOf('nope')).toEqual([]);
    });
  });

  describe('attributes', () => {
    it('reservoir.max_vol is a double input in MM3', () => {
      expect(attributeInfo('reservoir', 'max_vol')).toEqual({
        objectType: 'reservoir',
        name: 'max_vol',
        datatype: 'double',
        xUnit: 'MM3',
        yUnit: 'MM3',
        isInput: true,
        isOutput: false,
        licenseName: 'SHOP_OPEN',
        defaultValue: null,
        description: 'Input of a reservoir: max vol (double, MM3).',
      });
    });

    it('has time series, tables and outputs', () => {
      expect(attributeInfo('reservoir', 'inflow')).toMatchObject({ datatype: 'txy', yUnit: 'M3/S', isInput: true });
      expect(attributeInfo('reservoir', 'vol_head')).toMatchObject({ datatype: 'xy', xUnit: 'MM3', yUnit: 'METER' });
      expect(attributeInfo('reservoir', 'storage')).toMatchObject({ datatype: 'txy', isOutput: true });
      expect(attributeInfo('busbar', 'ptdf')?.datatype).toBe('sy');
      expect(attributeInfo('global_settings', 'gravity')?.defaultValue).toBe('9.81');
    });

    it('keeps unknown facts unknown (null), not guessed', () => {
      const unknown = ATTRIBUTES.filter((a) => a.datatype === null);
      // 59 in the table, 9 of them outputs Tarn writes (pump max/min_cons, tunnel physical_flow, river penalties).
      expect(unknown).toHaveLength(59 - 9);
      const headArea = attributeInfo('reservoir', 'head_area');
      expect(headArea).toBeDefined();
      expect(headArea!.datatype).toBeNull();
      expect(headArea!.isInput).toBeNull();
      expect(headArea!.description).toContain('datatype unknown');
    });

    it('completes the results Tarn writes that the table leaves open as outputs', () => {
      expect(attributeInfo('tunnel', 'physical_flow')).toMatchObject({
        datatype: 'txy',
        isInput: false,
        isOutput: true,
      });
      expect(attributeInfo('river', 'distributed_past_upstream_flow')).toMatchObject({
        datatype: 'xy',
        isOutput: true,
      });
    });

    it('adds the two attributes the example models use', () => {
      expect(attributeInfo('plant', 'equal_distribution')).toMatchObject({ datatype: 'int', isInput: true });
      expect(attributeInfo('reservoir', 'endpoint_desc_nok_mwh')).toMatchObject({ datatype: 'xy', isInput: true });
    });

    it('is case-sensitive and answers undefined for prototype keys', () => {
      expect(attributeInfo('reservoir', 'MAX_VOL')).toBeUndefined();
      expect(attributeInfo('lp_model', 'AA')?.datatype).toBe('double_array');
      for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
        expect(attributeInfo('reservoir', key)).toBeUndefined();
        expect(attributeInfo(key, 'max_vol')).toBeUndefined();
        expect(attributeInfo(key, key)).toBeUndefined();
      }
      expect(attributeInfo('reservoir max_vol', '')).toBeUndefined();
    });

    it('is immutable', () => {
      const info = attributeInfo('reservoir', 'max_vol')!;
      expect(Object.isFrozen(info)).toBe(true);
      expect(Object.isFrozen(attributesOf('reservoir'))).toBe(true);
      expect(Object.isFrozen(OBJECT_TYPES)).toBe(true);
    });

    it('matches the reference counts: 1 016 rows + 2 added, by datatype and by direction (shop-json.md §11)', () => {
      expect(ATTRIBUTES).toHaveLength(1018);
      const byDatatype: Record<string, number> = {};
      for (const a of ATTRIBUTES) byDatatype[a.datatype ?? 'unknown'] = (byDatatype[a.datatype ?? 'unknown'] ?? 0) + 1;
      expect(byDatatype).toEqual({
        txy: 565 + 9,
        double: 181,
        int: 102 + 1,
        int_array: 24,
        xyt: 22,
        xy: 19 + 1,
        xy_array: 15,
        double_array: 12,
        string: 11,
        string_array: 5,
        sy: 1,
        unknown: 59 - 9,
      });
      expect(ATTRIBUTES.filter((a) => a.isInput === true)).toHaveLength(590 + 2);
      // Twelve results Tarn writes complete their I/O (generate-catalog.js OUTPUTS_TARN_WRITES).
      expect(ATTRIBUTES.filter((a) => a.isOutput === true)).toHaveLength(355 + 12);
      expect(ATTRIBUTES.filter((a) => a.isInput === null && a.isOutput === null)).toHaveLength(71 - 12);
      expect(ATTRIBUTES.filter((a) => a.licenseName === null)).toHaveLength(80 + 2);
      expect(ATTRIBUTES.filter((a) => a.defaultValue !== null)).toHaveLength(93);
      expect(attributesOf('reservoir')).toHaveLength(74 + 1);
      expect(attributesOf('plant')).toHaveLength(124 + 1);
      expect(attributesOf('system')).toHaveLength(1);
      const keys = new Set(ATTRIBUTES.map((a) => `${a.objectType}.${a.name}`));
      expect(keys.size).toBe(1018);
    });

    it('describes every attribute in a sentence', () => {
      for (const a of ATTRIBUTES) expect(a.description).toMatch(/^(Input|Output|Input and output|Attribute) of .+\.$/);
    });
  });

  describe('connectionAllowed', () => {
    it.each([
      ['reservoir', 'plant'],
      ['plant', 'reservoir'],
      ['reservoir', 'gate'],
      ['gate', 'reservoir'],
      ['reservoir', 'river'],
      ['tunnel', 'tunnel'],
      ['junction', 'plant'],
      ['generator', 'plant'],
      ['plant', 'generator'],
      ['pump', 'plant'],
      ['plant', 'pump'],
      ['reserve_group', 'generator'],
      ['generator', 'reserve_group'],
      ['market', 'busbar'],
      ['busbar', 'market'],
      ['cut_group', 'reservoir'],
      ['reservoir', 'cut_group'],
      ['gen_reserve_capability', 'generator'],
      ['plant', 'plant_reserve_capability'],
      ['contract', 'busbar'],
    ])('allows %s → %s', (from, to) => expect(connectionAllowed(from, to)).toBe(true));

    it.each([
      ['reservoir', 'generator'],
      ['generator', 'reservoir'],
      ['reservoir', 'reservoir'],
      ['plant', 'gate'],
      ['gate', 'plant'],
      ['junction_gate', 'reservoir'],
      ['river', 'plant'],
      ['generator', 'pump'],
      ['thermal', 'generator'],
      ['plant', 'nope'],
      ['__proto__', 'plant'],
      ['plant', 'constructor'],
    ])('refuses %s → %s', (from, to) => expect(connectionAllowed(from, to)).toBe(false));

    it('connects global_settings, lp_model, network, objective, scenario, unit_combination to nothing', () => {
      for (const lonely of ['global_settings', 'lp_model', 'network', 'objective', 'scenario', 'unit_combination']) {
        for (const other of OBJECT_TYPES) {
          expect(connectionAllowed(lonely, other)).toBe(false);
          expect(connectionAllowed(other, lonely)).toBe(false);
        }
      }
    });

    it('tells physical from logical relations', () => {
      expect(relationCategory('reservoir', 'plant')).toBe('physical');
      expect(relationCategory('generator', 'plant')).toBe('logical');
      expect(relationCategory('reservoir', 'cut_group')).toBe('logical');
    });
  });

  describe('commands', () => {
    it('has the 123 documented commands', () => {
      expect(COMMANDS).toHaveLength(123);
      expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(123);
    });

    it('finds a command by its name with spaces, case-insensitively', () => {
      expect(findCommand('start sim')).toMatchObject({ name: 'start sim', valueKind: 'int' });
      expect(findCommand('SET CODE')).toMatchObject({ name: 'set code' });
      expect(findCommand('  set   code ')?.name).toBe('set code');
      expect(findCommand('set code')!.options).toEqual(expect.arrayContaining(['full', 'incremental']));
      expect(findCommand('penalty cost')!.options).toContain('reservoir');
      expect(findCommand('data')!.deprecated).toBe(true);
      expect(findCommand('set password')!.valueNotes).toBe('"ENV=PASSWORD" pairs in quotes');
    });

    it('does not resolve prefixes, unknown names or prototype keys', () => {
      for (const name of ['start', 'set co', 'start simulation', '', '__proto__', 'constructor']) {
        expect(findCommand(name)).toBeUndefined();
      }
    });
  });

  describe('verboseAttributeInfo', () => {
    it('gives every field SHOP Server has', () => {
      const verbose = verboseAttributeInfo(attributeInfo('reservoir', 'max_vol')!);
      expect(verbose).toEqual({
        attribute_name: 'max_vol',
        legacy_datatype: 'double',
        is_input: true,
        is_output: false,
        x_unit: 'MM3',
        y_unit: 'MM3',
        license_name: 'SHOP_OPEN',
        full_name: 'reservoir.max_vol',
        data_func_name: 'get_max_vol',
        description: 'Input of a reservoir: max vol (double, MM3).',
        documentation_url: 'https://docs.shop.sintef.energy/objects/reservoir/reservoir.html#max-vol',
        example_url_prefix: null,
        example: null,
        default_value: null,
        required: false,
      });
    });

    it('shows an unknown datatype as "unknown" and unknown flags as null', () => {
      const verbose = verboseAttributeInfo(attributeInfo('reservoir', 'head_area')!);
      expect(verbose).toMatchObject({
        legacy_datatype: 'unknown',
        is_input: null,
        is_output: null,
        data_func_name: null,
      });
      expect(verboseAttributeInfo(attributeInfo('lp_model', 'AA')!).documentation_url).toBe(
        'https://docs.shop.sintef.energy/objects/lp_model/lp_model.html#aa',
      );
      expect(verboseAttributeInfo(attributeInfo('global_settings', 'gravity')!).default_value).toBe('9.81');
    });
  });
});
