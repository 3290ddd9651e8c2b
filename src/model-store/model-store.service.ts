import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { attributeInfo, attributesOf, isObjectType, OBJECT_TYPES, type ShopDatatype } from '../shop/catalog.js';
import { InvalidQueryError, ModelNotAcceptedError, SessionGoneError } from '../common/errors/tarn-error.js';
import type {
  AttributeValue,
  Command,
  Connection,
  OutputAttribute,
  ShopModelJson,
  TimeNode,
} from '../shop/shop-json.js';
import { checkConnections, type ParsedAttribute, type ShopDocument } from '../shop/shop-document.js';
import { formatAttributeValue, Problems } from '../shop/shop-values.js';
import { SeriesCompactor, SeriesExpander } from './stored-series.js';

/** The filters of GET /model (shop-json.md §9 and §10 item 7). */
export interface ModelFilters {
  objectType?: string;
  objectName?: string;
  attributeName?: string;
  datatype?: string;
  isInput: boolean;
  isOutput: boolean;
  includeTime: boolean;
  includeConnections: boolean;
  compressTxy: boolean;
}

/** What a session's last run left for its next one, as JSON (the solver's continuation). */
export type SolverState = Record<string, unknown>;

export const DEFAULT_FILTERS: ModelFilters = {
  isInput: true,
  isOutput: true,
  includeTime: true,
  includeConnections: true,
  compressTxy: false,
};

/** Object types that take inputs (every type but result-only ones such as objective). */
const TYPES_WITH_INPUTS = new Set(
  OBJECT_TYPES.filter((type) => attributesOf(type).length === 0 || attributesOf(type).some((a) => a.isInput !== false)),
);

/** Unknown I/O flags count as input: such attributes are set by users. */
const isInputAttribute = (objectType: string, attribute: string) =>
  attributeInfo(objectType, attribute)?.isInput ?? true;
const isOutputAttribute = (objectType: string, attribute: string) =>
  attributeInfo(objectType, attribute)?.isOutput ?? false;

/** How many sessions' input views ModelStoreService keeps (about as many as runs at once). */
const INPUT_VIEWS = 8;

const isInputView = (filters: ModelFilters) =>
  filters.isInput &&
  !filters.isOutput &&
  filters.includeTime &&
  filters.includeConnections &&
  !filters.compressTxy &&
  filters.objectType === undefined &&
  filters.objectName === undefined &&
  filters.attributeName === undefined &&
  filters.datatype === undefined;

/** The I/O filters' conditions on `a`, by filters; built on first use. */
const ioConditions = new Map<string, string>();

/**
 * The condition that keeps the attributes of the I/O filters: their names as a constant array in
 * the statement, not a parameter, so that PostgreSQL looks each row up in a hash of the ~650
 * names instead of comparing it with each, and nothing is converted per call.
 */
function ioCondition(isInput: boolean, isOutput: boolean): string {
  const key = `${isInput}:${isOutput}`;
  let condition = ioConditions.get(key);
  if (condition === undefined) {
    const allowed = OBJECT_TYPES.flatMap((type) =>
      attributesOf(type)
        .filter((a) => (isInput && isInputAttribute(type, a.name)) || (isOutput && isOutputAttribute(type, a.name)))
        .map((a) => `${type}.${a.name}`),
    );
    const literal = `{${allowed.map((name) => `"${name.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
    condition = `(a.object_type || '.' || a.attribute) = ANY('${literal.replace(/'/g, "''")}'::text[])`;
    ioConditions.set(key, condition);
  }
  return condition;
}

/**
 * The persisted SHOP model of each session: rows per object, per attribute (JSONB) and per
 * connection, so that an upload touches only its rows and GET /model filters are queries.
 * Persistence only: documents arrive parsed (see ModelUploadService). Callers check that the
 * actor may see the session first. Owns model_time, model_object, model_attribute,
 * model_connection, session_command and session_solver_state (what the session's last run left
 * for the next to go on from: JSON the solver makes and reads, opaque here).
 */
@Injectable()
export class ModelStoreService {
  /**
   * The input view (what a run reads, and its PUT answers) of the sessions read last, by the
   * revision read before it: a read at the same revision answers it without a query but the
   * revision's. Results do not change it, so storing them carries it to their revision.
   */
  private readonly inputViews = new Map<number, { revision: number; model: ShopModelJson }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Merges a parsed document into the session's model, within the caller's transaction (which
   * holds the session's row lock): objects, attributes, connections, and its commands as
   * queued. Connections must name objects of the document or of the stored model; otherwise
   * ModelNotAcceptedError, and the caller's transaction stores nothing.
   */
  async write(manager: EntityManager, sessionId: number, document: ShopDocument): Promise<void> {
    if (document.connections.length) await this.checkConnections(manager, sessionId, document);
    await this.bumpRevision(manager, sessionId);
    if (document.time) {
      await manager.query(
        `INSERT INTO model_time (session_id, value) VALUES ($1, $2::jsonb)
         ON CONFLICT (session_id) DO UPDATE SET value = EXCLUDED.value`,
        [sessionId, JSON.stringify(document.time)],
      );
    }
    const objects = [
      ...document.objects,
      ...document.connections.flatMap((c) => [
        { objectType: c.from_type, objectName: c.from },
        { objectType: c.to_type, objectName: c.to },
      ]),
    ];
    if (objects.length) {
      await manager.query(
        `INSERT INTO model_object (session_id, object_type, object_name)
         SELECT $1, e.item->>'objectType', e.item->>'objectName'
           FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(item, n)
          ORDER BY e.n
         ON CONFLICT DO NOTHING`,
        [sessionId, JSON.stringify(objects)],
      );
    }
    await this.upsertAttributes(manager, sessionId, document.attributes);
    if (document.connections.length) {
      await manager.query(
        `INSERT INTO model_connection
           (session_id, from_type, from_name, to_type, to_name, relation_type, relation_direction, connection_order)
         SELECT $1, e.item->>'from_type', e.item->>'from', e.item->>'to_type', e.item->>'to',
                e.item->>'relation_type', e.item->>'relation_direction', (e.item->>'order')::integer
           FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(item, n)
          ORDER BY e.n
         ON CONFLICT ON CONSTRAINT uq_model_connection DO NOTHING`,
        [sessionId, JSON.stringify(document.connections)],
      );
    }
    if (document.commands.length) {
      await manager.query(
        `INSERT INTO session_command (session_id, command, options, command_values)
         SELECT $1, e.item->>'command', e.item->'options', e.item->'values'
           FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(item, n)
          ORDER BY e.n`,
        [sessionId, JSON.stringify(document.commands)],
      );
    }
  }

  async deleteAttribute(
    manager: EntityManager,
    sessionId: number,
    objectType: string,
    objectName: string,
    attribute: string,
  ): Promise<void> {
    await this.bumpRevision(manager, sessionId);
    await manager.query(
      `DELETE FROM model_attribute
        WHERE session_id = $1 AND object_type = $2 AND object_name = $3 AND attribute = $4`,
      [sessionId, objectType, objectName, attribute],
    );
  }

  /** The session's model revision: raised by every write of its model (0 before the first). */
  async revision(sessionId: number): Promise<number> {
    const rows: Array<{ revision: string }> = await this.dataSource.query(
      'SELECT revision FROM model_revision WHERE session_id = $1',
      [sessionId],
    );
    return rows.length ? Number(rows[0].revision) : 0;
  }

  private async bumpRevision(manager: EntityManager, sessionId: number): Promise<void> {
    await manager.query(
      `INSERT INTO model_revision (session_id, revision) VALUES ($1, 1)
       ON CONFLICT (session_id) DO UPDATE SET revision = model_revision.revision + 1`,
      [sessionId],
    );
  }

  /** The session's queued commands have run (or could not): they are done. */
  async markCommandsDone(sessionId: number, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(`UPDATE session_command SET status = 'done' WHERE session_id = $1 AND status = 'queued'`, [
      sessionId,
    ]);
  }

  /** Drops the session's queued commands (a cancel); answers how many. */
  async dropQueuedCommands(sessionId: number): Promise<number> {
    const [{ dropped }]: Array<{ dropped: number }> = await this.dataSource.query(
      `WITH deleted AS (DELETE FROM session_command WHERE session_id = $1 AND status = 'queued' RETURNING 1)
       SELECT count(*)::int AS dropped FROM deleted`,
      [sessionId],
    );
    return dropped;
  }

  /**
   * Stores results as output attributes (replacing earlier ones), creating result objects as needed,
   * and in the same transaction the solver state the run leaves (`solverState`: null clears it,
   * undefined leaves it as it is), and with `commandsDone` marks the queued commands done (as
   * markCommandsDone). Series keep their timestamps as runs of equal steps where that
   * is exact (see stored-series.ts; reads give them back as they were). The rows go in statements of about 256 kB of JSON each rather
   * than one: the embedded database runs in this thread, and one statement for a large result
   * would hold up every other request.
   */
  async writeOutputs(
    sessionId: number,
    outputs: OutputAttribute[],
    solverState?: SolverState | null,
    options: { commandsDone?: boolean } = {},
  ): Promise<void> {
    const objects = new Map<string, { objectType: string; objectName: string }>();
    const compactor = new SeriesCompactor();
    const rows = outputs.map((o) => {
      objects.set(`${o.objectType}\u0000${o.objectName}`, { objectType: o.objectType, objectName: o.objectName });
      const datatype = attributeInfo(o.objectType, o.attribute)?.datatype ?? null;
      return { ...o, datatype, value: compactor.compact(datatype, o.value) };
    });
    let revision = 0;
    let inputsChanged = outputs.some((o) => isInputAttribute(o.objectType, o.attribute));
    await this.dataSource.transaction(async (manager) => {
      // The session may have been deleted while its commands ran (a delete waits for this lock);
      // locked and its revision raised in one statement.
      const locked: Array<{ revision: string }> = await manager.query(
        `WITH session AS (SELECT id FROM optimization_session WHERE id = $1 FOR UPDATE)
         INSERT INTO model_revision (session_id, revision) SELECT id, 1 FROM session
         ON CONFLICT (session_id) DO UPDATE SET revision = model_revision.revision + 1
         RETURNING revision`,
        [sessionId],
      );
      if (!locked.length) throw new SessionGoneError(sessionId);
      revision = Number(locked[0].revision);
      const created: Array<{ object_type: string }> = await manager.query(
        `INSERT INTO model_object (session_id, object_type, object_name)
         SELECT DISTINCT $1::integer, e.item->>'objectType', e.item->>'objectName'
           FROM jsonb_array_elements($2::jsonb) AS e(item)
         ON CONFLICT DO NOTHING
         RETURNING object_type`,
        [sessionId, JSON.stringify([...objects.values()])],
      );
      // An object of a type that takes inputs is listed in the input view, even without any.
      inputsChanged ||= created.some((o) => TYPES_WITH_INPUTS.has(o.object_type));
      await this.upsertAttributes(manager, sessionId, rows);
      if (options.commandsDone) await this.markCommandsDone(sessionId, manager);
      if (solverState === null) await this.clearSolverState(sessionId, manager);
      else if (solverState) {
        await manager.query(
          `INSERT INTO session_solver_state (session_id, state) VALUES ($1, $2::json)
           ON CONFLICT (session_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
          [sessionId, JSON.stringify(solverState)],
        );
      }
    });
    const view = this.inputViews.get(sessionId);
    if (view && !inputsChanged && view.revision === revision - 1) view.revision = revision;
    else this.inputViews.delete(sessionId);
  }

  /** What the session's last run left for the next one; undefined when none (or it was cleared). */
  async solverState(sessionId: number): Promise<SolverState | undefined> {
    const rows: Array<{ state: SolverState }> = await this.dataSource.query(
      'SELECT state FROM session_solver_state WHERE session_id = $1',
      [sessionId],
    );
    return rows[0]?.state;
  }

  /** The session's next run starts afresh. */
  async clearSolverState(sessionId: number, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query('DELETE FROM session_solver_state WHERE session_id = $1', [sessionId]);
  }

  /**
   * Inserts or replaces attribute rows, in statements of about 256 kB of JSON (at most 2,000
   * rows) rather than one: a statement's parameter stays far below PostgreSQL's 1 GB limit, and
   * the embedded database, which runs in this thread and answers without yielding, gives the
   * event loop a turn between statements, so a large upload does not hold up other requests.
   */
  private async upsertAttributes(
    manager: EntityManager,
    sessionId: number,
    attributes: ReadonlyArray<Pick<ParsedAttribute, 'objectType' | 'objectName' | 'attribute' | 'datatype' | 'value'>>,
  ): Promise<void> {
    const rows = attributes.map(({ objectType, objectName, attribute, datatype, value }) =>
      JSON.stringify({ objectType, objectName, attribute, datatype, value }),
    );
    for (let first = 0, chars = 0, i = 0; i < rows.length; i++) {
      chars += rows[i].length;
      if (chars < 256 * 1024 && i - first + 1 < 2000 && i < rows.length - 1) continue;
      // Between statements only: a small write (one SHOP API value) goes at once.
      if (first > 0) await new Promise((resolve) => setImmediate(resolve));
      await manager.query(
        `INSERT INTO model_attribute (session_id, object_type, object_name, attribute, datatype, value)
         SELECT $1, r."objectType", r."objectName", r.attribute, r.datatype, r.value
           FROM jsonb_to_recordset($2::jsonb) AS r("objectType" text, "objectName" text, attribute text, datatype text, value jsonb)
         ON CONFLICT (session_id, object_type, object_name, attribute)
         DO UPDATE SET value = EXCLUDED.value, datatype = EXCLUDED.datatype`,
        [sessionId, `[${rows.slice(first, i + 1).join(',')}]`],
      );
      first = i + 1;
      chars = 0;
    }
  }

  private async checkConnections(manager: EntityManager, sessionId: number, document: ShopDocument): Promise<void> {
    const stored: Array<{ object_type: string; object_name: string }> = await manager.query(
      'SELECT object_type, object_name FROM model_object WHERE session_id = $1',
      [sessionId],
    );
    const names = new Set([
      ...stored.map((o) => `${o.object_type}\u0000${o.object_name}`),
      ...document.objects.map((o) => `${o.objectType}\u0000${o.objectName}`),
    ]);
    const problems = new Problems();
    checkConnections(document.connections, (type, name) => names.has(`${type}\u0000${name}`), problems);
    if (problems.count) throw new ModelNotAcceptedError(problems.list);
  }

  async time(sessionId: number): Promise<TimeNode | undefined> {
    const rows: Array<{ value: TimeNode }> = await this.dataSource.query(
      'SELECT value FROM model_time WHERE session_id = $1',
      [sessionId],
    );
    return rows[0]?.value;
  }

  /**
   * The session's model as SHOP JSON, filtered in the query. The input view (DEFAULT_FILTERS but
   * isOutput false: what runs read and PUT /model answers) may be the object an earlier read
   * answered: callers do not change what they get.
   */
  async get(sessionId: number, filters: ModelFilters): Promise<ShopModelJson> {
    if (!isInputView(filters)) return this.read(sessionId, filters);
    // The revision first: a model read after it is at least as new as the revision it is kept under.
    const revision = await this.revision(sessionId);
    const known = this.inputViews.get(sessionId);
    if (known?.revision === revision) return known.model;
    const model = await this.read(sessionId, filters);
    this.inputViews.delete(sessionId);
    this.inputViews.set(sessionId, { revision, model });
    if (this.inputViews.size > INPUT_VIEWS) this.inputViews.delete(this.inputViews.keys().next().value!);
    return model;
  }

  private async read(sessionId: number, filters: ModelFilters): Promise<ShopModelJson> {
    if (filters.objectType !== undefined && !isObjectType(filters.objectType)) {
      throw new InvalidQueryError(`objectType: unknown object type "${filters.objectType}"`);
    }
    const params: unknown[] = [sessionId];
    const param = (value: unknown) => `$${params.push(value)}`;
    const objectWhere = ['o.session_id = $1'];
    if (filters.objectType !== undefined) objectWhere.push(`o.object_type = ${param(filters.objectType)}`);
    if (filters.objectName !== undefined) objectWhere.push(`o.object_name = ${param(filters.objectName)}`);
    const attributeOn = [
      'a.session_id = o.session_id',
      'a.object_type = o.object_type',
      'a.object_name = o.object_name',
    ];
    if (filters.attributeName !== undefined) attributeOn.push(`a.attribute = ${param(filters.attributeName)}`);
    if (filters.datatype !== undefined) attributeOn.push(`a.datatype = ${param(filters.datatype)}`);
    const ioFiltered = !(filters.isInput && filters.isOutput);
    if (ioFiltered) attributeOn.push(ioCondition(filters.isInput, filters.isOutput));
    const rows: Array<{
      object_type: string;
      object_name: string;
      attribute: string | null;
      datatype: ShopDatatype | null;
      value: AttributeValue | null;
    }> = await this.dataSource.query(
      `SELECT o.object_type, o.object_name, a.attribute, a.datatype, a.value
         FROM model_object o
         LEFT JOIN model_attribute a ON ${attributeOn.join(' AND ')}
        WHERE ${objectWhere.join(' AND ')}
        ORDER BY o.position, a.attribute`,
      params,
    );

    const time = filters.includeTime || rows.some((r) => r.datatype === 'txy') ? await this.time(sessionId) : undefined;
    const byAttribute = filters.attributeName !== undefined || filters.datatype !== undefined;
    // An object without a kept attribute is listed unless particular attributes are asked for;
    // in an input view only if its type takes inputs (not result-only objects such as objective).
    const keepEmpty = (row: { object_type: string }) =>
      !byAttribute && (!ioFiltered || (filters.isInput && TYPES_WITH_INPUTS.has(row.object_type)));
    const model: ShopModelJson['model'] = {};
    const selected = new Set<string>();
    const expander = new SeriesExpander();
    for (const row of rows) {
      if (row.attribute === null && !keepEmpty(row)) continue;
      const objects = (model[row.object_type] ??= Object.create(null) as Record<
        string,
        Record<string, AttributeValue>
      >);
      const attributes = (objects[row.object_name] ??= Object.create(null) as Record<string, AttributeValue>);
      selected.add(`${row.object_type}\u0000${row.object_name}`);
      if (row.attribute !== null) {
        attributes[row.attribute] = formatAttributeValue(row.datatype, expander.expand(row.value), {
          startTime: time?.start_time,
          compressTxy: filters.compressTxy,
        });
      }
    }
    const result: ShopModelJson = { model };
    if (filters.includeTime && time) result.time = time;
    if (filters.includeConnections) {
      const connections = await this.connections(sessionId);
      const scoped = filters.objectType !== undefined || filters.objectName !== undefined;
      result.connections = scoped
        ? connections.filter(
            (c) => selected.has(`${c.from_type}\u0000${c.from}`) || selected.has(`${c.to_type}\u0000${c.to}`),
          )
        : connections;
    }
    return result;
  }

  async connections(sessionId: number): Promise<Connection[]> {
    const rows: Array<Record<string, string | number | null>> = await this.dataSource.query(
      `SELECT from_name, from_type, to_name, to_type, relation_type, relation_direction, connection_order
         FROM model_connection WHERE session_id = $1 ORDER BY id`,
      [sessionId],
    );
    return rows.map((r) => ({
      from: r.from_name as string,
      from_type: r.from_type as string,
      to: r.to_name as string,
      to_type: r.to_type as string,
      relation_type: r.relation_type as Connection['relation_type'],
      relation_direction: r.relation_direction as Connection['relation_direction'],
      ...(r.connection_order !== null && { order: Number(r.connection_order) }),
    }));
  }

  /** Every object of the session, in the order they were created. */
  async objects(sessionId: number): Promise<Array<{ objectType: string; objectName: string }>> {
    const rows: Array<{ object_type: string; object_name: string }> = await this.dataSource.query(
      'SELECT object_type, object_name FROM model_object WHERE session_id = $1 ORDER BY position',
      [sessionId],
    );
    return rows.map((row) => ({ objectType: row.object_type, objectName: row.object_name }));
  }

  /** How many objects the session has (objects are added, never removed, while a session lives). */
  async objectCount(sessionId: number): Promise<number> {
    const [{ count }]: Array<{ count: number }> = await this.dataSource.query(
      'SELECT count(*)::int AS count FROM model_object WHERE session_id = $1',
      [sessionId],
    );
    return count;
  }

  /** How many objects the session has, and how many of `among` (type and name) are stored, in one query. */
  async objectCountAmong(
    sessionId: number,
    among: ReadonlyArray<{ objectType: string; objectName: string }>,
  ): Promise<{ total: number; among: number }> {
    const [row]: Array<{ total: number; among: number }> = await this.dataSource.query(
      'SELECT count(*)::int AS total, ' +
        'count(*) FILTER (WHERE (object_type, object_name) IN ' +
        '(SELECT * FROM unnest($2::text[], $3::text[])))::int AS among ' +
        'FROM model_object WHERE session_id = $1',
      [sessionId, among.map((o) => o.objectType), among.map((o) => o.objectName)],
    );
    return row;
  }

  async hasObject(sessionId: number, objectType: string, objectName: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM model_object WHERE session_id = $1 AND object_type = $2 AND object_name = $3',
      [sessionId, objectType, objectName],
    );
    return rows.length > 0;
  }

  /** One stored attribute value as stored (canonical SHOP JSON), or undefined when unset. */
  async attribute(
    sessionId: number,
    objectType: string,
    objectName: string,
    attribute: string,
  ): Promise<AttributeValue | undefined> {
    const rows: Array<{ value: AttributeValue }> = await this.dataSource.query(
      `SELECT value FROM model_attribute
        WHERE session_id = $1 AND object_type = $2 AND object_name = $3 AND attribute = $4`,
      [sessionId, objectType, objectName, attribute],
    );
    return rows.length ? new SeriesExpander().expand(rows[0].value) : undefined;
  }

  /** The commands the session has run (or tried), in order. */
  async executedCommands(sessionId: number): Promise<Command[]> {
    const rows: Array<{ command: string; options: string[]; command_values: string[] }> = await this.dataSource.query(
      `SELECT command, options, command_values FROM session_command
        WHERE session_id = $1 AND status = 'done' ORDER BY id`,
      [sessionId],
    );
    return rows.map((row) => ({ command: row.command, options: row.options, values: row.command_values }));
  }

  /** Object names per type (for the information endpoints). */
  async instanceNames(sessionId: number, objectType?: string): Promise<Map<string, string[]>> {
    const rows: Array<{ object_type: string; object_name: string }> = await this.dataSource.query(
      `SELECT object_type, object_name FROM model_object
        WHERE session_id = $1 ${objectType === undefined ? '' : 'AND object_type = $2'}
        ORDER BY position`,
      objectType === undefined ? [sessionId] : [sessionId, objectType],
    );
    const names = new Map<string, string[]>();
    for (const row of rows) names.set(row.object_type, [...(names.get(row.object_type) ?? []), row.object_name]);
    return names;
  }
}
