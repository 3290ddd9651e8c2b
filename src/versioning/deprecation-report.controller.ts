import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/decorators/roles.decorator.js';
import { ApiController } from '../common/decorators/api-controller.decorator.js';
import { ApiCatalogService } from './api-catalog.service.js';
import { DeprecatedCallDto } from './dto/api-root.dto.js';
import { DeprecationUsageService } from './deprecation-usage.service.js';
import { RouteTableService } from './route-table.service.js';

@ApiTags('admin')
@ApiController('admin/deprecations')
export class DeprecationReportController {
  constructor(
    private readonly usage: DeprecationUsageService,
    private readonly routes: RouteTableService,
    private readonly catalog: ApiCatalogService,
  ) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Who still calls deprecated endpoints: calls per user and route' })
  @ApiOkResponse({ type: DeprecatedCallDto, isArray: true })
  async report(): Promise<DeprecatedCallDto[]> {
    return (await this.usage.report()).map((row) => {
      const policy = this.routes.find(row.method, row.route)?.policy;
      return { ...row, deprecation: policy && this.catalog.describe(policy) };
    });
  }
}
