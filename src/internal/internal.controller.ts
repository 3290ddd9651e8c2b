import { Body, Get, Header, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ModelStoreService } from '../model-store/model-store.service.js';
import { shopJsonToYaml } from '../shop/shop-yaml.js';
import type { OptimizationSession } from '../sessions/entities/optimization-session.entity.js';
import { CurrentSession, SessionRoute } from '../sessions/session-route.decorator.js';
import { ApiController } from '../common/decorators/api-controller.decorator.js';
import { INTERNAL_FUNCTIONS, licenseInfo, parseDumpYamlArgs } from './internal-functions.js';

const STRING_ARRAY = { schema: { type: 'array', items: { type: 'string' } } };

/** SHOP Server's internal functions, `POST /internal/<Name>`; `GET /internal` lists them. */
@ApiTags('internal')
@ApiController('internal', { rootAlias: true })
export class InternalController {
  constructor(private readonly store: ModelStoreService) {}

  @Get()
  @ApiOperation({ summary: 'The internal functions this server serves' })
  @ApiOkResponse({ ...STRING_ARRAY, example: INTERNAL_FUNCTIONS })
  list(): string[] {
    return [...INTERNAL_FUNCTIONS];
  }

  @Post('GetLicenseInfo')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The SHOP licenses, as "<LICENSE>:<access>"',
    description:
      'Every license name of the catalog (attributes and commands). GRANTED: what Tarn implements ' +
      '(SHOP_OPEN: the model, YAML and information functions); NOT_AVAILABLE: the rest, until the ' +
      'solver implements it. Needs no session.',
  })
  @ApiOkResponse({ ...STRING_ARRAY, example: ['SHOP_OPEN:GRANTED', 'SHOP_BEST_PROFIT:NOT_AVAILABLE'] })
  license(): string[] {
    return licenseInfo();
  }

  @Post('DumpYamlString')
  @HttpCode(200)
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary: "The session's model as one SHOP YAML string",
    description:
      'args: [inputOnly, compressTxy, compressConnections], booleans, each defaulting to true as in ' +
      "SHOP's dump_yaml. inputOnly=false adds the output attributes. The answer is a JSON string. " +
      'Queued commands are not dumped.',
  })
  @SessionRoute()
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: { args: { type: 'array', items: { type: 'boolean' }, maxItems: 3, example: [true, true, true] } },
    },
  })
  @ApiOkResponse({ schema: { type: 'string', example: 'time:\n  starttime: 2018-01-23 00:00:00\n...' } })
  @ApiBadRequestResponse({ description: 'args is not an array of up to three booleans' })
  async dumpYamlString(@CurrentSession() session: OptimizationSession, @Body() body: unknown): Promise<string> {
    const args = parseDumpYamlArgs(body);
    const model = await this.store.get(session.id, {
      isInput: true,
      isOutput: !args.inputOnly,
      includeTime: true,
      includeConnections: true,
      compressTxy: false,
    });
    const yaml = shopJsonToYaml(model, {
      compressTxy: args.compressTxy,
      compressConnections: args.compressConnections,
    });
    // A JSON string, as SHOP Server answers: the Content-Type is set above.
    return JSON.stringify(yaml);
  }
}
