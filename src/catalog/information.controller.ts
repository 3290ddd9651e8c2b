import { BadRequestException, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { OptimizationSession } from '../sessions/entities/optimization-session.entity.js';
import { CurrentSession, SessionRoute } from '../sessions/session-route.decorator.js';
import { ApiController } from '../common/decorators/api-controller.decorator.js';
import { isObjectType, OBJECT_TYPES } from '../shop/catalog.js';
import { ModelInfoDto } from './dto/model-info.dto.js';
import { ObjectTypeInfoDto, toObjectTypeInfo } from './dto/object-type-info.dto.js';
import { toVerboseObjectTypeInfo } from './dto/verbose-object-type-info.dto.js';
import { ModelStoreService } from '../model-store/model-store.service.js';

const FLAGS: Readonly<Record<string, boolean>> = { true: true, '1': true, false: false, '0': false };

/** The `verbose` query parameter: true/false/1/0 (any case; Python's requests sends `True`), absent = false. */
export function parseVerboseFlag(raw: unknown): boolean {
  if (raw === undefined) return false;
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  if (text === undefined || !Object.hasOwn(FLAGS, text)) {
    throw new BadRequestException({
      message: `verbose must be true, false, 1 or 0, got ${JSON.stringify(typeof raw === 'string' ? raw.slice(0, 40) : raw)}`,
      details: [{ path: 'query.verbose', message: 'must be true, false, 1 or 0' }],
    });
  }
  return FLAGS[text];
}

/**
 * SHOP Server's information endpoints: what the catalog knows about each object type, with
 * the names of the selected session's objects. Only these two routes: GET/PUT /model itself
 * belong to the models module's controller, mounted at the same path.
 */
@ApiTags('model')
@ApiController('model', { rootAlias: true })
export class InformationController {
  constructor(private readonly store: ModelStoreService) {}

  @Get('information')
  @ApiOperation({
    summary: 'Every object type Tarn knows, with every attribute (verbose) and the session’s objects of it',
  })
  @SessionRoute({ query: true })
  @ApiOkResponse({ type: ModelInfoDto })
  async modelInformation(@CurrentSession() session: OptimizationSession): Promise<ModelInfoDto> {
    const names = await this.store.instanceNames(session.id);
    return { object_types: OBJECT_TYPES.map((type) => toVerboseObjectTypeInfo(type, names.get(type) ?? [])) };
  }

  @Get(':object_type/information')
  @ApiOperation({ summary: 'One object type: its attributes (datatypes, or full info with verbose=true)' })
  @ApiParam({ name: 'object_type', example: 'reservoir' })
  @ApiQuery({
    name: 'verbose',
    required: false,
    type: Boolean,
    description: 'true/1: each attribute’s full info instead of its datatype (false/0, the default)',
  })
  @SessionRoute({ query: true, notFound: 'No such object type; or no such session, or not yours' })
  @ApiOkResponse({ type: ObjectTypeInfoDto })
  @ApiBadRequestResponse({ description: 'verbose is not true, false, 1 or 0' })
  async objectTypeInformation(
    @CurrentSession() session: OptimizationSession,
    @Param('object_type') objectType: string,
    // Typed unknown so that the global pipe leaves the raw string to parseVerboseFlag.
    @Query('verbose') verbose: unknown,
  ): Promise<ObjectTypeInfoDto> {
    const isVerbose = parseVerboseFlag(verbose);
    if (!isObjectType(objectType)) {
      throw new NotFoundException(
        `Object type ${JSON.stringify(objectType.slice(0, 80))} not found; GET /api/v1/model/information lists them`,
      );
    }
    const names = await this.store.instanceNames(session.id, objectType);
    return toObjectTypeInfo(objectType, names.get(objectType) ?? [], isVerbose);
  }
}
