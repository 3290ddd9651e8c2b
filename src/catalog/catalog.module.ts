import { Module } from '@nestjs/common';
import { ModelStoreModule } from '../model-store/model-store.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { InformationController } from './information.controller.js';

/**
 * The SHOP catalog's information endpoints (/model/information, /model/:object_type/information),
 * with the names of the session's objects from the model store. The catalog itself is pure
 * data and lookups (catalog.ts): import it directly.
 */
@Module({
  imports: [SessionsModule, ModelStoreModule],
  controllers: [InformationController],
})
export class CatalogModule {}
