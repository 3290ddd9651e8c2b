import { Body, Get, HttpCode, Module, Post } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MinLength } from 'class-validator';
import { ApiController } from '../../src/common/decorators/api-controller.decorator.js';
import { Deprecated } from '../../src/versioning/deprecated.decorator.js';

class CreateWidgetDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  name: string;
}

/**
 * Stands in for the SHOP Server routes of the next issue: mounted at /api/v1/widgets and,
 * through the root-alias mechanism, at /widgets.
 */
@ApiController('widgets', { rootAlias: true })
export class WidgetsController {
  @Get()
  list() {
    return [{ name: 'turbine' }];
  }

  @Post()
  @HttpCode(201)
  create(@Body() body: CreateWidgetDto) {
    return { name: body.name };
  }

  @Get('old')
  @Deprecated({ deprecation: '2026-06-01', links: { 'successor-version': '/api/v1/widgets' } })
  old() {
    return [{ name: 'old turbine' }];
  }

  @Get('broken')
  broken(): never {
    throw new Error('a bug with a secret path /srv/tarn/internal.ts:42');
  }
}

@Module({ controllers: [WidgetsController] })
export class WidgetsModule {}
