import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TarnConfig } from './tarn-config.js';

/** Makes the validated TarnConfig injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: TarnConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: TarnConfig, useValue: config }],
      exports: [TarnConfig],
    };
  }
}
