import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { attributesOf, verboseAttributeInfo } from '../../shop/catalog.js';
import { VerboseAttributeInfoDto } from './verbose-attribute-info.dto.js';

/** ObjectTypeInfoSchema with every attribute's full info (as GET /model/information gives it). */
@ApiExtraModels(VerboseAttributeInfoDto)
export class VerboseObjectTypeInfoDto {
  @ApiProperty({ example: 'reservoir' })
  object_type: string;

  @ApiProperty({
    type: String,
    isArray: true,
    example: ['Reservoir1'],
    description: "The session's objects of this type",
  })
  instances: string[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(VerboseAttributeInfoDto) },
    description: 'Each attribute name → its full info',
  })
  attributes: Record<string, VerboseAttributeInfoDto>;
}

export function toVerboseObjectTypeInfo(objectType: string, instances: string[]): VerboseObjectTypeInfoDto {
  return {
    object_type: objectType,
    instances,
    attributes: Object.fromEntries(attributesOf(objectType).map((info) => [info.name, verboseAttributeInfo(info)])),
  };
}
