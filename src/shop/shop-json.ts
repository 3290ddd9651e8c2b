/**
 * The SHOP JSON document and its parts, as Tarn reads and answers them (shop-json.md). Types
 * only, shared by the parsers, the model store, the solver and the API.
 */

export const TIME_UNITS = ['hour', 'minute', 'second'] as const;

export interface TimeNode {
  start_time: string;
  end_time: string;
  time_unit: (typeof TIME_UNITS)[number];
  time_resolution?: Txy;
}

export type RelationType = 'default' | 'spill' | 'bypass';

export type RelationDirection = 'both' | 'input' | 'output';

export interface Connection {
  from: string;
  from_type: string;
  to: string;
  to_type: string;
  relation_type: RelationType;
  relation_direction: RelationDirection;
  /** Decides tunnel 1 and 2 into a junction; list order otherwise. */
  order?: number;
}

export interface Command {
  command: string;
  options: string[];
  values: string[];
}

export interface Xy {
  ref: number;
  x: number[];
  y: number[];
}

export interface Txy {
  name?: string;
  /** Absent for a constant given without timestamps: valid from the start of the horizon. */
  timestamps?: string[];
  /** values[scenario][time] */
  values: number[][];
}

export interface Xyt extends Xy {
  time: string;
}

export type AttributeValue =
  number | string | number[] | string[] | Xy | Xy[] | Txy | Xyt[] | Record<string, number> | unknown;

/** A SHOP JSON document as Tarn answers it. */
export interface ShopModelJson {
  time?: TimeNode;
  model: Record<string, Record<string, Record<string, AttributeValue>>>;
  connections?: Connection[];
}

/** An output attribute value for the model store. */
export interface OutputAttribute {
  objectType: string;
  objectName: string;
  attribute: string;
  value: unknown;
}
