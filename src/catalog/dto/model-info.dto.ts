import { ApiProperty } from '@nestjs/swagger';
import { VerboseObjectTypeInfoDto } from './verbose-object-type-info.dto.js';

/** SHOP Server's ModelInfoSchema: every object type Tarn knows, every attribute, verbose. */
export class ModelInfoDto {
  @ApiProperty({ type: VerboseObjectTypeInfoDto, isArray: true })
  object_types: VerboseObjectTypeInfoDto[];
}
