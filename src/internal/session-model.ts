import { Injectable } from '@nestjs/common';
import { ModelStoreService } from '../model-store/model-store.service.js';
import { ModelUploadService } from '../models/model-upload.service.js';
import {
  attributeInfo,
  isObjectType,
  relationCategory,
  type AttributeInfo,
  type ShopDatatype,
} from '../shop/catalog.js';
import type { AttributeValue, Connection, RelationType } from '../shop/shop-json.js';
import { ShopApiStateService } from './shop-api-state.service.js';

/** A model failure (pyshop-compat.md §2): the call answers its failure value and logs an ERROR. */
export class ModelFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFailure';
  }
}

export const fail = (message: string): never => {
  throw new ModelFailure(message);
};

/** SHOP API relation types → Tarn's connection relation_type. */
export const RELATION_TYPES: Readonly<Record<string, RelationType>> = {
  connection_standard: 'default',
  connection_spill: 'spill',
  connection_bypass: 'bypass',
};

/**
 * The objects every SHOP session has: its one global_settings and the first scenario, S1
 * (modelling-2.md §6). They are listed before they are stored (pyshop scripts set their
 * attributes without adding them: `shop.model.scenario['S1']`), and stored when a value is set.
 */
export const IMPLICIT_OBJECTS = [
  { objectType: 'global_settings', objectName: 'global_settings' },
  { objectType: 'scenario', objectName: 'S1' },
] as const;
export const isImplicitObject = (type: string, name: string) =>
  IMPLICIT_OBJECTS.some((o) => o.objectType === type && o.objectName === name);

/**
 * A session's stored model as the SHOP API functions see it: objects named by type and name,
 * attributes checked against the catalog, writes merged as `PUT /model` merges them (without a
 * session log line: SHOP logs none for a set value either).
 */
@Injectable()
export class SessionModel {
  constructor(
    readonly store: ModelStoreService,
    readonly upload: ModelUploadService,
    readonly state: ShopApiStateService,
  ) {}

  /** The catalog entry of an attribute of an existing object, of one of the datatypes given. */
  async attribute(
    sessionId: number,
    type: string,
    name: string,
    attribute: string,
    datatypes?: readonly ShopDatatype[],
  ): Promise<AttributeInfo> {
    if (!isObjectType(type)) fail(`unknown object type "${type}"`);
    const info = attributeInfo(type, attribute) ?? fail(`${type} has no attribute "${attribute}"`);
    if (datatypes && info.datatype !== null && !datatypes.includes(info.datatype)) {
      fail(`${type}.${attribute} is of datatype ${info.datatype}, not ${datatypes.join(' or ')}`);
    }
    await this.requireObject(sessionId, type, name);
    return info;
  }

  /** The stored value of an attribute of an existing object (checked as `attribute` does). */
  async value(
    sessionId: number,
    [type, name, attribute]: readonly [string, string, string],
    datatypes?: readonly ShopDatatype[],
  ): Promise<{ info: AttributeInfo; value: AttributeValue | undefined }> {
    const info = await this.attribute(sessionId, type, name, attribute, datatypes);
    return { info, value: await this.store.attribute(sessionId, type, name, attribute) };
  }

  async requireObject(sessionId: number, type: string, name: string): Promise<void> {
    if (!isObjectType(type)) fail(`unknown object type "${type}"`);
    if (isImplicitObject(type, name)) return;
    if (!(await this.store.hasObject(sessionId, type, name))) fail(`the session has no ${type} named "${name}"`);
  }

  /**
   * Every object of the session in creation order, the implicit ones last while they are not
   * stored (no relation names them, so their place in the list never moves another's index).
   */
  async objects(sessionId: number): Promise<Array<{ objectType: string; objectName: string }>> {
    const objects = await this.store.objects(sessionId);
    const missing = IMPLICIT_OBJECTS.filter(
      (implicit) => !objects.some((o) => o.objectType === implicit.objectType && o.objectName === implicit.objectName),
    );
    return [...objects, ...missing];
  }

  /** What UpdateNeeded compares: the number of objects `objects` lists. */
  async objectCount(sessionId: number): Promise<number> {
    const { total, among } = await this.store.objectCountAmong(sessionId, IMPLICIT_OBJECTS);
    return total + IMPLICIT_OBJECTS.length - among;
  }

  /** Stores an attribute's value (validated as in PUT /model); undefined makes it unset. */
  async setValue(
    sessionId: number,
    [type, name, attribute]: readonly [string, string, string],
    value: unknown,
  ): Promise<void> {
    if (value === undefined) await this.upload.unset(sessionId, type, name, attribute);
    else await this.merge(sessionId, { model: { [type]: { [name]: { [attribute]: value } } } });
  }

  /** Merges SHOP JSON into the session's model, as PUT /model does, without a line in the session log. */
  async merge(sessionId: number, document: object): Promise<void> {
    await this.upload.put(sessionId, document, { quiet: true });
  }

  /** Every object's type or name, in creation order; remembers the count for UpdateNeeded. */
  async listObjects(sessionId: number, key: 'objectName' | 'objectType'): Promise<string[]> {
    const objects = await this.objects(sessionId);
    await this.state.set(sessionId, { listedObjects: objects.length });
    return objects.map((object) => object[key]);
  }

  /**
   * The indices (in GetObjectNamesInSystem's order) of the objects connected to (`output`) or
   * from (`input`) an object with a relation type. Logical partners count from both ends.
   */
  async relations(
    sessionId: number,
    [type, name, relation]: readonly [string, string, string],
    direction: 'output' | 'input',
  ): Promise<number[]> {
    const relationType = RELATION_TYPES[relation] ?? fail(unknownRelation(relation));
    await this.requireObject(sessionId, type, name);
    const [objects, connections] = [await this.objects(sessionId), await this.store.connections(sessionId)];
    const index = new Map(objects.map((object, i) => [`${object.objectType}\u0000${object.objectName}`, i]));
    const partners = new Set<number>();
    const add = (partnerType: string, partnerName: string) => {
      const i = index.get(`${partnerType}\u0000${partnerName}`);
      if (i !== undefined) partners.add(i);
    };
    const isSelf = (t: string, n: string) => t === type && n === name;
    for (const c of connections.filter((connection: Connection) => connection.relation_type === relationType)) {
      const logical = relationCategory(c.from_type, c.to_type) === 'logical';
      if (isSelf(c.from_type, c.from) && (direction === 'output' || logical)) add(c.to_type, c.to);
      else if (isSelf(c.to_type, c.to) && (direction === 'input' || logical)) add(c.from_type, c.from);
    }
    return [...partners];
  }
}

export const unknownRelation = (relation: string) =>
  `unknown relation type "${relation}"; ${Object.keys(RELATION_TYPES).join(', ')}`;
