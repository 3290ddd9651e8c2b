import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  MalformedBodyError,
  MalformedCommandsError,
  ModelNotAcceptedError,
  TarnError,
} from '../common/errors/tarn-error.js';
import { JobRunner } from '../jobs/job-runner.js';
import { type Run, RunsService } from '../jobs/runs.service.js';
import { SessionLogService } from '../logging/session-log.service.js';
import { ModelStoreService } from '../model-store/model-store.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { CommandError, type Interpretation, interpretCommands } from '../shop/command-interpreter.js';
import { parseShopDocument, type ShopDocument } from '../shop/shop-document.js';
import { YamlConnectionError, YamlSyntaxError, yamlToShopJson } from '../shop/shop-yaml.js';

const hasCommands = (body: unknown) =>
  typeof body === 'object' && body !== null && Array.isArray((body as { commands?: unknown }).commands)
    ? (body as { commands: unknown[] }).commands.length > 0
    : false;

/**
 * PUT /model, from the body to the run: reads the body (SHOP JSON, or SHOP YAML text), checks it
 * against the catalog, interprets its commands with the session's settings, stores it in one
 * transaction, then hands the interpreted commands to the job runner as a run, answering when the
 * run is done or, with `wait: false`, as soon as it is accepted. Everything a client got wrong is
 * refused before anything is stored.
 */
@Injectable()
export class ModelUploadService {
  private readonly logger = new Logger('ModelUpload');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: ModelStoreService,
    private readonly sessions: SessionsService,
    private readonly logs: SessionLogService,
    private readonly runs: RunsService,
    private readonly jobs: JobRunner,
  ) {}

  /**
   * `quiet`: no "Model updated" line in the session log (a SHOP API call sets one value; SHOP
   * logs nothing for it either).
   */
  async put(
    sessionId: number,
    body: unknown,
    options: { wait?: boolean; quiet?: boolean } = {},
  ): Promise<Run | undefined> {
    const json = typeof body === 'string' ? await this.fromYaml(sessionId, body) : body;
    // Commands that could not be run are refused before anything is stored.
    if (hasCommands(json)) await this.jobs.checkAvailable();
    const document = this.parse(json);
    // Settings that earlier uploads' commands set hold for this one's (as in a SHOP session).
    const interpretation = document.commands.length
      ? this.interpret(document, await this.sessions.solverSettings(sessionId))
      : undefined;
    await this.dataSource.transaction(async (manager) => {
      await this.sessions.lock(manager, sessionId);
      await this.store.write(manager, sessionId, document);
      if (interpretation) await this.sessions.saveSolverSettings(manager, sessionId, interpretation.settings);
    });
    if (!options.quiet) await this.logs.log(sessionId, 'INFO', `Model updated: ${summary(document)}`);
    if (!interpretation) return undefined;

    const run = await this.runs.create(sessionId, document.commands, this.jobs.kind);
    const { runs, warnings } = interpretation;
    const { done } = await this.jobs.submit({
      runId: run.run_id,
      created: run.created,
      sessionId,
      interpreted: { runs, warnings },
    });
    if (options.wait !== false) {
      await done;
      return run;
    }
    // The run records how it ended; nobody waits for the answer.
    done.catch((error: unknown) => {
      if (!(error instanceof TarnError)) this.logger.error(`Run ${run.run_id}: ${(error as Error).stack ?? error}`);
    });
    return run;
  }

  /** Makes an attribute unset again (nothing stored), as an empty value does in the SHOP API. */
  async unset(sessionId: number, objectType: string, objectName: string, attribute: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.sessions.lock(manager, sessionId);
      await this.store.deleteAttribute(manager, sessionId, objectType, objectName, attribute);
    });
  }

  private parse(json: unknown): ShopDocument {
    const { document, problems, commandProblems } = parseShopDocument(json);
    if (problems.count) throw new ModelNotAcceptedError(problems.list);
    if (commandProblems.count) throw new MalformedCommandsError(commandProblems.list);
    return document!;
  }

  /** Checked before anything is stored: a command that cannot run as given is a 400. */
  private interpret(document: ShopDocument, settings: Parameters<typeof interpretCommands>[1]): Interpretation {
    try {
      return interpretCommands(document.commands, settings);
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      throw new MalformedCommandsError([{ path: `commands[${error.index}]`, message: error.message }]);
    }
  }

  /**
   * A SHOP YAML body as SHOP JSON: connections without from_type/to_type take them from the object
   * names of the document and of the stored model. What cannot be read is a 400; the model itself
   * is then validated as JSON is.
   */
  private async fromYaml(sessionId: number, text: string): Promise<unknown> {
    const known = await this.store.instanceNames(sessionId);
    try {
      return yamlToShopJson(text, known);
    } catch (error) {
      if (error instanceof YamlSyntaxError) {
        throw new MalformedBodyError(error.message, { path: 'body', message: error.message });
      }
      if (error instanceof YamlConnectionError) {
        throw new MalformedBodyError(`The YAML connections could not be read: ${error.message}`, {
          path: error.path,
          message: error.reason,
        });
      }
      throw error;
    }
  }
}

/** What an upload changed, for the session log. */
function summary(document: ShopDocument): string {
  const parts = [
    document.time && `time ${document.time.start_time} to ${document.time.end_time}`,
    document.objects.length && `${document.objects.length} objects`,
    document.attributes.length && `${document.attributes.length} attribute values`,
    document.connections.length && `${document.connections.length} connections`,
  ].filter(Boolean);
  return parts.join(', ') || 'nothing to change';
}
