/** The types of the SHOP catalog, shared by catalog.ts and the generated data. */
export type ShopDatatype =
  | 'int'
  | 'double'
  | 'string'
  | 'int_array'
  | 'double_array'
  | 'string_array'
  | 'xy'
  | 'xy_array'
  | 'txy'
  | 'xyt'
  | 'sy';

/** One attribute of an object type. null: the documentation does not say. */
export interface AttributeInfo {
  objectType: string;
  name: string;
  datatype: ShopDatatype | null;
  xUnit: string | null;
  yUnit: string | null;
  isInput: boolean | null;
  isOutput: boolean | null;
  licenseName: string | null;
  defaultValue: string | null;
  description: string;
}

/** One SHOP command, as the command pages describe it. null: not documented. */
export interface CommandInfo {
  /** The name with spaces, lower-case: `start sim`, `set code`. */
  name: string;
  /** The options it takes, without the leading `/` (as JSON commands carry them). */
  options: readonly string[];
  /** What its values are: `none`, `int`, `double`, `string`, `string:file`, `string+double`, ... */
  valueKind: string;
  /** How many values: `0`, `1`, `0..1`, `2`, `1..n`, `1 or 3`, ... */
  valueCount: string;
  valueNotes: string | null;
  /** What SHOP does when the command is not given (free text from the docs). */
  defaultIfOmitted: string | null;
  license: string | null;
  releaseVersion: string | null;
  deprecated: boolean;
  /** Its page in sintefenergy/shop-documentation. */
  docPath: string | null;
}
