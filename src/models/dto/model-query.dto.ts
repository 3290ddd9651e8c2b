import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

const flag = (description: string, defaultValue: boolean) =>
  ApiPropertyOptional({ type: Boolean, default: defaultValue, description });

/** GET /model filters; the defaults return the whole model, so that GET and PUT round-trip. */
export class ModelQueryDto {
  @ApiPropertyOptional({ description: 'Only this object type', example: 'reservoir' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  objectType?: string;

  @ApiPropertyOptional({ description: 'Only objects of this name', example: 'Reservoir1' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  objectName?: string;

  @ApiPropertyOptional({ description: 'Only this attribute', example: 'max_vol' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  attributeName?: string;

  @ApiPropertyOptional({ description: 'Only attributes of this catalog datatype', example: 'txy' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  datatype?: string;

  @flag('Include input attributes', true)
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  isInput?: boolean;

  @flag('Include output attributes (results)', true)
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  isOutput?: boolean;

  @flag('Include the time node', true)
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeTime?: boolean;

  @flag('Include the connections', true)
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeConnections?: boolean;

  @flag('Drop consecutive repeated values of time series', false)
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  compressTxy?: boolean;

  /** SHOP Server's session selection on GET, read by SessionAccessGuard; declared so it is allowed. */
  @IsOptional()
  @IsString()
  session_id?: string;
}
