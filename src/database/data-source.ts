/**
 * The data source for the TypeORM CLI (`npm run migration:show`),
 * built from the same environment and options as the server.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/tarn-config.js';
import { ENTITIES } from './entities.js';
import { dataSourceOptions } from './data-source-options.js';

export default new DataSource(dataSourceOptions(loadConfig([], process.env), ENTITIES));
