import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator.js';
import { ApiVersionDto, ApiRootDto } from './dto/api-root.dto.js';
import { ApiController } from '../common/decorators/api-controller.decorator.js';
import { ApiCatalogService } from './api-catalog.service.js';

@ApiTags('api')
@Controller('api')
export class ApiRootController {
  constructor(private readonly catalog: ApiCatalogService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'The live API versions and where to get a token' })
  @ApiOkResponse({ type: ApiRootDto })
  root(): ApiRootDto {
    return this.catalog.root();
  }
}

@ApiTags('api')
@ApiController('')
export class ApiVersionController {
  constructor(private readonly catalog: ApiCatalogService) {}

  @Get()
  @ApiOperation({ summary: 'This version: its deprecation state and its endpoints' })
  @ApiOkResponse({ type: ApiVersionDto })
  version(): ApiVersionDto {
    return this.catalog.version('v1');
  }
}
